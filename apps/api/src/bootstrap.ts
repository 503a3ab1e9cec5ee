import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, CLOCK, type AppConfig, type Clock } from '@caseledger/platform';
import type { NextFunction, Request, Response } from './common/http/http-types';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { opsAccess, rateLimiter, securityHeaders } from '@caseledger/http';
import { requestShapeGuard } from './common/http/request-shape';
import { createValidationPipe } from './common/http/validation';
import { sendProblem } from './common/problems/problem-details.filter';
import { serveOpenApi } from './openapi';

/**
 * Everything an API app needs besides its module: JSON parsing whose failures
 * are problem+json (body-parser errors never reach Nest's filters), edge
 * validation, OpenAPI at /openapi.json and /docs. Used by main.ts, the e2e
 * tests and the benchmark alike, so they all run the same app.
 */
export function configureApp(app: NestExpressApplication): void {
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(APP_CONFIG);
  const clock = app.get<Clock>(CLOCK);
  app.disable('x-powered-by');
  if (config.http.trustProxy !== undefined)
    app.set('trust proxy', trustProxyValue(config.http.trustProxy));
  // Before anything else, so a flood is refused before its bodies are parsed.
  const limiter = rateLimiter(config);
  if (limiter) app.use(limiter);
  for (const middleware of securityHeaders()) app.use(middleware);
  const ops = opsAccess(config);
  if (ops) app.use(ops);
  app.useBodyParser('json', { limit: '256kb' });
  // Depth, NUL/unpaired surrogates and prototype keys, before guards and the Idempotency-Key fingerprint.
  app.use(requestShapeGuard());
  const logger = new NestLogger('Http');
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendProblem(req, res, error, logger);
  });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.body === undefined) req.body = {};
    next();
  });
  app.useGlobalPipes(createValidationPipe(() => clock.now()));
  // No enableShutdownHooks here: main.ts installs the graceful shutdown (issue 7),
  // which stops accepting connections before the modules stop and exits 0.
  serveOpenApi(app);
}

/** TRUST_PROXY as Express takes it: a hop count, true/false, or addresses and names. */
function trustProxyValue(value: string): boolean | number | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

export async function createApiApp(
  config: AppConfig,
  options: Omit<AppModuleOptions, 'config'> & { clock?: Clock } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, ...options }),
    { bufferLogs: true, bodyParser: false },
  );
  configureApp(app);
  return app;
}
