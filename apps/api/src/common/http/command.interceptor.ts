import {
  HttpStatus,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import {
  EVENT_STORE,
  IdempotencyKeyReusedError,
  IdempotencyStore,
  nameBasedUuid,
  requestHash,
} from '@caseledger/platform';
import type { EventStore } from '@caseledger/event-store';
import type { Response } from './http-types';
import { catchError, from, map, mergeMap, of, throwError, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { ProblemException, problemType, validationProblem } from '../problems/problem-details';

const REPLAYED_HEADERS = ['location', 'etag'] as const;

const keyReused = (): ProblemException =>
  new ProblemException({
    type: problemType('idempotency-key-reused'),
    title: 'The Idempotency-Key was used for a different request',
    status: 422,
    detail: 'An Idempotency-Key answers one request: send a new key for a different body.',
  });

function setEtag(res: Response, body: unknown): void {
  const revision = (body as { revision?: unknown } | null)?.revision;
  if (typeof revision === 'number' && revision >= 0) res.header('etag', `"${revision}"`);
}

/**
 * Command routes: `ETag` with the case's new revision, and durable
 * Idempotency-Key answers. A first request with a key runs under a
 * command id derived from (actor, key), so even two concurrent duplicates
 * append once (the executor finds the command id in the stream); its 2xx answer
 * is stored, and a repeat with the same body gets it back without touching the
 * case. The same key with another body is 422. Refusals are not stored: a retry
 * after a refusal is judged again and appends nothing if still refused.
 */
@Injectable()
export class CommandInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /**
   * A stored answer to replay, or undefined to run the command. The key stored
   * with the events (same transaction) is the binding: an answer copy lost to a
   * crash is derived again by running the command, whose command id, derived
   * from the key, finds the events already there.
   */
  private async lookUp(actorId: string, key: string, hash: string) {
    const stored = await this.store.find(actorId, key);
    if (stored) {
      if (stored.requestHash !== hash) throw keyReused();
      return stored;
    }
    const bound = await this.events.findIdempotencyRecord?.(actorId, key);
    if (bound && bound.requestHash !== hash) throw keyReused();
    return undefined;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<Response>();
    const header = request.headers['idempotency-key'];
    // Without a key: only the ETag, no store look-up and no extra observable per answer.
    if (header === undefined) {
      return next.handle().pipe(
        map((body: unknown) => {
          setEtag(response, body);
          return body;
        }),
      );
    }
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw validationProblem('Idempotency-Key must be 1–255 visible ASCII characters', [
        { field: 'Idempotency-Key', message: 'expected 1–255 visible ASCII characters' },
      ]);
    }
    const actorId = request.actor!.staffId;
    const hash = requestHash(
      request.method ?? 'POST',
      request.originalUrl.split('?')[0],
      request.body,
    );
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      HttpStatus.CREATED;

    return from(this.lookUp(actorId, key, hash)).pipe(
      mergeMap((stored) => {
        if (stored) {
          for (const [name, value] of Object.entries(stored.headers)) response.header(name, value);
          response.header('idempotent-replayed', 'true');
          return of(stored.body);
        }
        request.commandId = nameBasedUuid('idempotency-key', actorId, key);
        request.idempotency = { scope: actorId, key, requestHash: hash };
        return next.handle().pipe(
          catchError((error: unknown) =>
            throwError(() => (error instanceof IdempotencyKeyReusedError ? keyReused() : error)),
          ),
          mergeMap(async (body: unknown) => {
            setEtag(response, body);
            const headers: Record<string, string> = {};
            for (const name of REPLAYED_HEADERS) {
              const value = response.getHeader(name);
              if (value !== undefined) headers[name] = String(value);
            }
            const saved = await this.store.save(actorId, key, {
              requestHash: hash,
              statusCode: status,
              body,
              headers,
            });
            if (saved.requestHash !== hash) throw keyReused();
            return saved.body;
          }),
        );
      }),
    );
  }
}
