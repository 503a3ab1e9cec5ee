import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { mergeMap, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../../common/auth/auth.decorators';
import { AuditEvidence } from './audit-evidence';

/**
 * Routes whose answers carry a case's personal data (DESIGN.md "Additions":
 * every read of a case's personal data is recorded). The export records its
 * own cases as it streams them.
 */
export const PERSONAL_DATA_ROUTES = new Set([
  '/api/v1/cases/:caseId',
  '/api/v1/cases/:caseId/history',
  '/api/v1/cases/:caseId/explain',
  '/api/v1/cases',
  '/api/v1/caseloads',
  '/api/v1/caseloads/:caseManagerId',
  '/api/v1/customers/:customerId/cases',
  '/api/v1/suspensions',
]);

/** Case ids in an answer: the route's own case, or each listed case. */
export function caseIdsOf(params: Record<string, string> | undefined, body: unknown): string[] {
  if (params?.caseId) return [params.caseId];
  const lists: unknown[] = [];
  if (Array.isArray(body)) lists.push(...(body as unknown[]));
  else if (body && typeof body === 'object') {
    for (const key of ['cases', 'items', 'results', 'suspensions']) {
      const value = (body as Record<string, unknown>)[key];
      if (Array.isArray(value)) lists.push(...(value as unknown[]));
    }
  }
  return lists
    .map((item) =>
      item && typeof item === 'object' ? (item as { caseId?: unknown }).caseId : undefined,
    )
    .filter((id): id is string => typeof id === 'string');
}

/**
 * Records who read which case on which route, in the append-only access table
 * (not the application log), before the answer leaves: a read that cannot be
 * recorded is not served.
 */
@Injectable()
export class AccessRecordInterceptor implements NestInterceptor {
  constructor(private readonly evidence: AuditEvidence) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<
      AuthenticatedRequest & {
        routeOptions?: { url?: string };
        params?: Record<string, string>;
        id?: unknown;
      }
    >();
    const path = req.routeOptions?.url;
    if (req.method !== 'GET' || !path || !PERSONAL_DATA_ROUTES.has(path) || !req.actor) {
      return next.handle();
    }
    const actor = req.actor;
    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        await this.evidence.access.record(
          {
            staffId: actor.staffId,
            role: actor.role,
            careerCenterId: actor.careerCenterId,
            route: `GET ${path}`,
            ...(typeof req.id === 'string' ? { correlationId: req.id } : {}),
          },
          caseIdsOf(req.params, body),
        );
        return body;
      }),
    );
  }
}
