import { EventStoreUnavailableError } from '../event-store.port';

/**
 * Error mapping of the PostgreSQL adapter: which server errors sink a batch
 * (and are retried append by append), which mean the database is gone (503),
 * and which refuse one event's content (400).
 */

/** Errors after which a batch is retried append by append. */
export const RETRYABLE_CODES = new Set(['23505', '40P01', '40001']);

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isRetryable = (error: unknown): boolean => RETRYABLE_CODES.has(errorCode(error) ?? '');

/** A lost or refused database connection (not a refusal of what was sent): answer 503, retry later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  const code = errorCode(error);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection refused|is closed|not queryable|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection|not currently accepting connections/i.test(
    message,
  );
}

/**
 * The server refused an event's content (SQLSTATE class 22, data exception:
 * a NUL character or a lone surrogate in a text, which jsonb cannot hold).
 * Only that append fails, as a validation refusal (400): what a client sent.
 */
export class EventDataRejectedError extends Error {
  constructor(
    readonly streamId: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the event store cannot hold this content (${detail}); remove NUL characters and unpaired surrogates from texts`,
      options,
    );
    this.name = 'EventDataRejectedError';
  }
}

export function mapError(error: unknown, streamId = ''): unknown {
  const code = errorCode(error);
  if (code && code.startsWith('22')) {
    return new EventDataRejectedError(streamId, error instanceof Error ? error.message : code, {
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error) && !(error instanceof EventStoreUnavailableError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`event store unavailable: ${message}`, { cause: error });
  }
  return error;
}
