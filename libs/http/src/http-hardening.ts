import { servedOverHttps } from '@caseledger/deadlines';
import type { AppConfig } from '@caseledger/platform';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-wire';

/** The slice of the framework's request the rate limiter's answer reads. */
type Request = IncomingMessage & { originalUrl: string };

type Middleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Served over https (the board's test: TLS socket, `req.secure` under
 * TRUST_PROXY, or X-Forwarded-Proto from a TLS-terminating proxy). Only ever
 * used to add protections (HSTS, Secure cookies), so a client claiming https
 * gains nothing.
 */
export const isHttps = servedOverHttps;

/** Query parameters that carry credentials (`/admin/queues?token=<JWT>`). */
const SECRET_PARAMS = /([?&](?:token|access_token|id_token|jwt|api_?key|ops_token)=)[^&#]*/gi;

/** A URL fit for a log line: credential-carrying query values replaced. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAMS, '$1[REDACTED]');

/**
 * Security headers for a service holding personal data: helmet's set
 * (nosniff, Referrer-Policy no-referrer, X-Frame-Options, COOP/CORP…) with a
 * CSP under which Swagger UI (/docs) and Bull Board (/admin/queues) still
 * run: their scripts are files of this origin, they use inline styles, and the
 * board loads its web fonts over https. No page may be framed.
 * HSTS only when served over https (a plain-http answer cannot carry it).
 */
export function securityHeaders(): Middleware[] {
  const headers = helmet({
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
  });
  const hsts: Middleware = (req, res, next) => {
    if (isHttps(req))
      res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
  // Every answer may carry personal data (cases, caseloads, compliance, problems naming them).
  const noStore: Middleware = (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  };
  return [headers, hsts, noStore];
}

function tooManyRequests(limit: number, windowMs: number) {
  return (req: Request & { rateLimit?: { resetTime?: Date } }, res: ServerResponse): void => {
    const reset = req.rateLimit?.resetTime;
    const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 1;
    res.statusCode = 429;
    res.setHeader('Retry-After', String(seconds));
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.end(
      JSON.stringify({
        type: problemType('too-many-requests'),
        title: 'Too many requests',
        status: 429,
        detail: `More than ${limit} requests in ${windowMs} ms from this client; retry after ${seconds} s.`,
        instance: req.originalUrl.split('?')[0],
      }),
    );
  };
}

/** A per-client request budget (RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_MS); 429 problem+json. */
export function rateLimiter(config: AppConfig): Middleware | undefined {
  const { rateLimitRequests, rateLimitWindowMs } = config.http;
  if (rateLimitRequests === 0) return undefined;
  const limiter: unknown = rateLimit({
    windowMs: rateLimitWindowMs,
    limit: rateLimitRequests,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Probes must not be throttled into restarts.
    skip: (req: IncomingMessage) => req.url === '/health',
    // The app sets trust proxy from TRUST_PROXY; no console warnings about it per request.
    validate: false,
    handler: tooManyRequests(rateLimitRequests, rateLimitWindowMs),
  });
  return limiter as Middleware;
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
export function opsAccess(config: AppConfig): Middleware | undefined {
  const expected = config.http.opsToken;
  if (expected === undefined) return undefined;
  return (req, res, next) => {
    if (!OPS_PATHS.test(req.url ?? '')) return next();
    const given = presentedOpsToken(req);
    if (given !== undefined && sameSecret(given, expected)) return next();
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', 'Basic realm="caseledger-ops", charset="UTF-8"');
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.end(
      JSON.stringify({
        type: problemType('unauthorized'),
        title: 'Authentication required',
        status: 401,
        detail: 'This operators’ endpoint needs the OPS_TOKEN (Bearer, or Basic as the password).',
        instance: (req.url ?? '').split('?')[0],
      }),
    );
  };
}
