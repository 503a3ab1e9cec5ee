import type { INestApplication } from '@nestjs/common';
import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { AppConfig } from '@caseledger/platform';

/** Headers a browser app sends (auth, conditional and idempotent writes, correlation). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'If-Match',
  'If-None-Match',
  'X-Correlation-Id',
];

/** Headers a browser app may read from an answer. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Idempotency-Replayed',
  'X-Correlation-Id',
  'Retry-After',
];

/**
 * CORS from CORS_ORIGINS (none by default). Built on Nest's own
 * `enableCors`, so it holds on whichever HTTP adapter the app runs. An origin
 * not listed gets no Access-Control-Allow-Origin, so the browser refuses the
 * answer; credentials are never allowed with `*` (the config refuses it).
 * With no origin listed every origin is one not listed: its preflight is still
 * answered (204, no Access-Control-Allow-Origin), never a 404.
 */
export function corsOptions(config: AppConfig): CorsOptions {
  const origins = config.http.corsOrigins;
  if (origins.length === 0) {
    // No origin matches an empty list: nothing exposed, nothing allowed.
    return {
      origin: [],
      methods: [],
      allowedHeaders: [],
      preflightContinue: false,
      optionsSuccessStatus: 204,
    };
  }
  const any = origins.includes('*');
  return {
    origin: any ? '*' : origins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: !any && config.http.corsAllowCredentials,
    maxAge: 600,
    preflightContinue: false,
    optionsSuccessStatus: 204,
  };
}

export function enableCors(app: INestApplication, config: AppConfig): void {
  app.enableCors(corsOptions(config));
}
