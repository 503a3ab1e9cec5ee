import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import { DomainError, type DomainErrorKind } from '@caseledger/domain';
import { StaleRevisionError } from '@caseledger/platform';
import {
  ConcurrencyError,
  EventDataRejectedError,
  isDatabaseUnavailable,
} from '@caseledger/event-store';
import type { Request, Response } from '../http/http-types';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemException,
  problemType,
  type ProblemDetails,
} from './problem-details';

/** STYLE.md 5: one filter maps every error kind to its status. */
const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule: 422,
};

const TITLE_OF_KIND: Record<DomainErrorKind, string> = {
  validation: 'The request is invalid',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  rule: 'A case rule refused the command',
};

/** How long a client should wait before retrying while the database is unreachable. */
const RETRY_AFTER_SECONDS = 2;

const GENERIC: Record<number, { id: string; title: string }> = {
  400: { id: 'bad-request', title: 'Bad request' },
  401: { id: 'unauthorized', title: 'Authentication required' },
  403: { id: 'forbidden', title: 'Not allowed' },
  // One id per situation: an unknown route and a missing case are both NOT_FOUND.
  404: { id: 'NOT_FOUND', title: 'Not found' },
  405: { id: 'method-not-allowed', title: 'Method not allowed' },
  413: { id: 'payload-too-large', title: 'Payload too large' },
  415: { id: 'unsupported-media-type', title: 'Unsupported media type' },
  429: { id: 'too-many-requests', title: 'Too many requests' },
};

export function toProblem(error: unknown): ProblemDetails {
  if (error instanceof ProblemException) return { ...error.problem };
  if (error instanceof StaleRevisionError) {
    return {
      type: problemType('stale-revision'),
      title: 'The case changed since the revision in If-Match',
      status: 412,
      detail: error.message,
      currentRevision: error.actual,
    };
  }
  if (error instanceof ConcurrencyError) {
    // The store's optimistic-concurrency verdict: the case changed while the command ran.
    return {
      type: problemType(error.ruleId),
      title: TITLE_OF_KIND[error.kind],
      status: STATUS_OF_KIND[error.kind],
      detail: error.message,
      ruleId: error.ruleId,
    };
  }
  if (error instanceof DomainError) {
    const status = STATUS_OF_KIND[error.kind];
    return {
      type: problemType(error.ruleId),
      title: TITLE_OF_KIND[error.kind],
      status,
      detail: error.message,
      ruleId: error.ruleId,
      ...(error.fields.length > 0
        ? { errors: error.fields.map((field) => ({ field, message: error.message })) }
        : {}),
    };
  }
  if (error instanceof EventDataRejectedError) {
    return {
      type: problemType('validation'),
      title: 'The request is invalid',
      status: 400,
      detail: error.message,
    };
  }
  if (isDatabaseUnavailable(error)) {
    // The database is unreachable (outage, terminated connection): the client
    // did nothing wrong and may retry; never a 500.
    return {
      type: problemType('unavailable'),
      title: 'Service unavailable',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'The database cannot be reached right now; retry after the delay in Retry-After.',
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const known = GENERIC[status] ?? { id: `http-${status}`, title: error.message };
    return {
      type: problemType(known.id),
      title: known.title,
      status,
      detail: error.message,
    };
  }
  const fastifyProblem = fastifyClientError(error);
  if (fastifyProblem) return fastifyProblem;
  if (isBodyParserError(error)) {
    return {
      type: problemType(error.type === 'entity.parse.failed' ? 'malformed-json' : 'bad-request'),
      title: error.type === 'entity.parse.failed' ? 'The body is not valid JSON' : 'Bad request',
      status: error.status,
      detail:
        error.type === 'entity.parse.failed'
          ? 'The request body could not be parsed as JSON.'
          : error.message,
    };
  }
  if (isClientHttpError(error)) {
    // e.g. a body whose Content-Encoding does not match its bytes (zlib failed):
    // body-parser marks it 400 but gives it no `type`.
    const known = GENERIC[error.status] ?? { id: `http-${error.status}`, title: 'Bad request' };
    return {
      type: problemType(known.id),
      title: known.title,
      status: error.status,
      detail: `The request body could not be read: ${error.message}`,
    };
  }
  return {
    type: problemType('internal'),
    title: 'Internal server error',
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    detail: 'An unexpected error occurred; the correlation id identifies it in the logs.',
  };
}

/**
 * What Fastify itself refuses before a route runs (its errors carry a
 * `FST_ERR_*` code and a 4xx statusCode): a body that is not JSON, too large,
 * of a media type no route takes, an empty JSON body.
 */
function fastifyClientError(error: unknown): ProblemDetails | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  const parseFailed =
    error instanceof SyntaxError ||
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
  if (parseFailed)
    return {
      type: problemType('malformed-json'),
      title: 'The body is not valid JSON',
      status: 400,
      detail:
        code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The request body is empty but its Content-Type is JSON.'
          : 'The request body could not be parsed as JSON.',
    };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  const known = GENERIC[statusCode] ?? { id: `http-${statusCode}`, title: 'Bad request' };
  return {
    type: problemType(known.id),
    title: known.title,
    status: statusCode,
    detail: error.message,
  };
}

interface BodyParserError {
  type: string;
  status: number;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  if (!(error instanceof Error)) return false;
  const candidate = error as unknown as Partial<BodyParserError>;
  return (
    typeof candidate.type === 'string' &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

/** An http-errors error for a client fault (status 4xx, `expose`), whatever produced it. */
function isClientHttpError(error: unknown): error is { status: number; message: string } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as Error & { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

export function sendProblem(req: Request, res: Response, error: unknown, logger: Logger): void {
  const problem = toProblem(error);
  if (problem.status === 503) {
    logger.warn(`answered 503: ${error instanceof Error ? error.message : String(error)}`);
  } else if (problem.status >= 500) {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  problem.instance = (req.originalUrl ?? req.url)?.split('?')[0];
  const correlationId = (req as { id?: unknown }).id;
  if (typeof correlationId === 'string') problem.correlationId = correlationId;
  if (problem.status === 401) res.header('www-authenticate', 'Bearer');
  if (problem.status === 503) res.header('retry-after', String(RETRY_AFTER_SECONDS));
  res.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** RFC 9457 for everything that leaves the app; 500s keep their internals in the log. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<Request>(), http.getResponse<Response>(), error, this.logger);
  }
}
