import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@caseledger/domain';
import type { IdempotencyRecord } from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { validationProblem } from '../problems/problem-details';

/** Who, which command, which request, and the revision the caller read (If-Match). */
export interface CommandContext {
  actor: Actor;
  commandId: string;
  correlationId: string;
  expectedRevision?: number;
  /** The Idempotency-Key, written with the command's events. */
  idempotency?: IdempotencyRecord;
}

/** `"5"`, `W/"5"` or `5`; `*` means any revision. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header.join(',') : header).trim();
  if (text === '*' || text === '') return undefined;
  const match = /^(?:W\/)?"?(-?\d+)"?$/.exec(text);
  if (!match) {
    throw validationProblem('If-Match must be a revision in quotes, e.g. "3"', [
      { field: 'If-Match', message: 'expected "<revision>"' },
    ]);
  }
  return Number(match[1]);
}

export function commandContextOf(request: AuthenticatedRequest): CommandContext {
  if (!request.actor) throw new Error('command route without an authenticated actor');
  const correlationId = typeof request.id === 'string' ? request.id : randomUUID();
  const expectedRevision = parseIfMatch(request.headers['if-match']);
  return {
    actor: request.actor,
    commandId: request.commandId ?? randomUUID(),
    correlationId,
    ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    ...(request.idempotency ? { idempotency: request.idempotency } : {}),
  };
}

export const CommandCtx = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CommandContext =>
    commandContextOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
