import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '@caseledger/domain';
import type { IdempotencyRecord } from '@caseledger/event-store';
import type { Request } from '../http/http-types';

// One marker for both processes' operators' endpoints (libs/http OpsController).
export { PUBLIC_ROUTE, Public } from '@caseledger/http';
export const ALLOWED_ROLES = 'caseledger:roles';

/** Only these roles may call the route (403 otherwise). */
export const AllowRoles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_ROLES, roles);

/** DESIGN.md: auditors read everything and write nothing. */
export const WriteAccess = (): MethodDecorator & ClassDecorator =>
  AllowRoles('case_manager', 'supervisor', 'admin');

export interface AuthenticatedRequest extends Request {
  actor?: Actor;
  /** Set by the command interceptor from the Idempotency-Key, else generated. */
  commandId?: string;
  /** Set by the command interceptor: the key, stored with the command's events. */
  idempotency?: IdempotencyRecord;
}

/** The verified staff member behind the request. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
