import { servedOverHttps } from '@caseledger/deadlines';
import type { AppConfig, AppLogger } from '@caseledger/platform';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-wire';

/**
 * Served over https (the board's test: TLS socket, `req.secure` under
 * TRUST_PROXY, or X-Forwarded-Proto from a TLS-terminating proxy). Only ever
 * used to add protections (HSTS, Secure cookies), so a client claiming https
 * gains nothing.
 */
export const isHttps = (request: FastifyRequest): boolean =>
  request.protocol === 'https' || servedOverHttps(request.raw);

/** Query parameters that carry credentials (`/admin/queues?token=<JWT>`). */
const SECRET_PARAMS = /([?&](?:token|access_token|id_token|jwt|api_?key|ops_token)=)[^&#]*/gi;

/**
 * Customer ids are personal data (README "Personal data"), and the customer
 * routes carry one in the path: the application log gets the route's shape.
 */
export const redactCustomerPath = (url: string): string =>
  url.replace(/\/customers\/[^/?#]+/g, '/customers/[REDACTED]');

/** A URL fit for a log line: credential-carrying query values and customer ids replaced. */
export const redactUrl = (url: string): string =>
  redactCustomerPath(url.replace(SECRET_PARAMS, '$1[REDACTED]'));

const CORRELATION_HEADER = 'x-correlation-id';
const SANE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * Fastify's request id is the correlation id: a client's X-Correlation-Id when
 * it is a sane token, otherwise one minted here. It is echoed on the answer,
 * logged on the request's line and kept in the events' metadata (R13).
 */
export function correlationIdOf(req: IncomingMessage): string {
  const given = req.headers[CORRELATION_HEADER];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * helmet's headers for this service, computed once: its middleware only ever
 * sets the same headers (and removes X-Powered-By, which Fastify never sends),
 * so they are captured from one run and set from a table on every answer.
 * The set: nosniff, Referrer-Policy no-referrer, X-Frame-Options, COOP/CORP…
 * with a CSP under which Swagger UI (/docs) and Bull Board (/admin/queues)
 * still run: their scripts are files of this origin, they use inline styles,
 * and the board loads its web fonts over https. No page may be framed.
 */
function helmetHeaders(): Record<string, string> {
  const captured: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      captured[name.toLowerCase()] = String(value);
    },
    removeHeader: () => undefined,
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", 'https:', "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'https:', 'data:'],
        'connect-src': ["'self'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        // Plain-http deployments (npm start on localhost) must keep loading their own assets.
        'upgrade-insecure-requests': null,
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  })(
    { headers: {} } as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error instanceof Error) throw error;
    },
  );
  // Every answer may carry personal data (cases, caseloads, compliance, problems naming them).
  captured['cache-control'] = 'no-store';
  captured.pragma = 'no-cache';
  return captured;
}

/**
 * Security headers on every answer (and the correlation id), from one
 * onRequest hook; HSTS only when served over https (a plain-http answer
 * cannot carry it).
 */
export function installSecurityHeaders(fastify: FastifyInstance): void {
  const headers = helmetHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header(CORRELATION_HEADER, request.id);
    if (isHttps(request))
      reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done();
  });
}

function sendRaw(reply: FastifyReply, status: number, body: Record<string, unknown>): void {
  reply.code(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/**
 * A per-client request budget (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_MS,
 * fixed windows, keyed by the client address as TRUST_PROXY resolves it);
 * past it, 429 problem+json with Retry-After. Probes are never throttled. The
 * budget is per process: with API_WORKERS=N each process keeps its own.
 * The RateLimit/RateLimit-Policy headers follow the IETF draft (7).
 */
export function installRateLimit(fastify: FastifyInstance, config: AppConfig): void {
  const { rateLimitRequests: limit, rateLimitWindowMs: windowMs } = config.http;
  if (limit === 0) return;
  const windowSeconds = Math.max(1, Math.ceil(windowMs / 1000));
  const policy = `${limit};w=${windowSeconds}`;
  let counts = new Map<string, number>();
  let resetAt = Date.now() + windowMs;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/health' || request.url.startsWith('/health/')) return done();
    const now = Date.now();
    if (now >= resetAt) {
      counts = new Map();
      resetAt = now + windowMs;
    }
    const used = (counts.get(request.ip) ?? 0) + 1;
    counts.set(request.ip, used);
    const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
    reply.header('ratelimit-policy', policy);
    reply.header(
      'ratelimit',
      `limit=${limit}, remaining=${Math.max(0, limit - used)}, reset=${seconds}`,
    );
    if (used <= limit) return done();
    reply.header('retry-after', String(seconds));
    sendRaw(reply, 429, {
      type: problemType('too-many-requests'),
      title: 'Too many requests',
      status: 429,
      detail: `More than ${limit} requests in ${windowMs} ms from this client; retry after ${seconds} s.`,
      instance: request.url.split('?')[0],
    });
  });
}

/** The operators' endpoints that OPS_TOKEN protects. */
const OPS_PATHS = /^\/(?:metrics|openapi\.json|docs(?:-json|-yaml)?)(?:[/?#]|$)/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function presentedOpsToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)?.[1];
  if (!basic) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/**
 * With OPS_TOKEN set, /metrics and the API documentation need it (Bearer for
 * Prometheus, HTTP Basic with it as the password for a browser); without it
 * they stay public, as before.
 */
export function installOpsAccess(fastify: FastifyInstance, config: AppConfig): void {
  const expected = config.http.opsToken;
  if (expected === undefined) return;
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!OPS_PATHS.test(request.url)) return done();
    const given = presentedOpsToken(request.raw);
    if (given !== undefined && sameSecret(given, expected)) return done();
    reply.header('www-authenticate', 'Basic realm="caseledger-ops", charset="UTF-8"');
    sendRaw(reply, 401, {
      type: problemType('unauthorized'),
      title: 'Authentication required',
      status: 401,
      detail: 'This operators’ endpoint needs the OPS_TOKEN (Bearer, or Basic as the password).',
      instance: request.url.split('?')[0],
    });
  });
}

/** Routes whose answers are not worth a log line each (probes, scrapes). */
const QUIET = /^\/(?:health|metrics)(?:[/?]|$)/;

/**
 * One log line per answered request, written from the response hook: method,
 * redacted URL, status, time and the correlation id (no bodies, no headers:
 * customer names stay out of logs). Level error for a 5xx.
 */
export function installRequestLog(fastify: FastifyInstance, logger: AppLogger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (QUIET.test(request.url)) return done();
    const statusCode = reply.statusCode;
    const level = statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          correlationId: request.id,
          req: { id: request.id, method: request.method, url: redactUrl(request.url) },
          res: { statusCode },
          responseTime: Math.round(reply.elapsedTime * 100) / 100,
        },
        statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}

/** The largest JSON body a route takes; a larger one is 413 problem+json. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * The Fastify instance both processes (API and worker) serve on: the
 * correlation id as the request id, TRUST_PROXY, the body limit; JSON bodies
 * keep `__proto__`/`constructor` keys as plain own keys so the request-shape
 * check refuses them by name (a 400 naming the field, not a parser error).
 */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    ...(config.http.trustProxy !== undefined
      ? { trustProxy: trustProxyValue(config.http.trustProxy) }
      : {}),
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    logger: false,
  });
}

/**
 * The operators' protections both processes share, as Fastify hooks (no
 * per-request middleware chain): security headers and the correlation id, the
 * rate limit (API only), OPS_TOKEN on /metrics and the docs, one log line per
 * request. What Fastify refuses itself (body parse errors, oversize bodies,
 * unsupported media types) reaches Nest's error handler and so the
 * ProblemDetailsFilter: problem+json like every other refusal.
 */
export function installHttpEdge(
  fastify: FastifyInstance,
  config: AppConfig,
  logger: AppLogger,
  options: { rateLimit: boolean },
): void {
  installSecurityHeaders(fastify);
  if (options.rateLimit) installRateLimit(fastify, config);
  installOpsAccess(fastify, config);
  installRequestLog(fastify, logger);
}

/** TRUST_PROXY as Fastify takes it: a hop count, true/false, or addresses and names. */
function trustProxyValue(value: string): boolean | number | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}
