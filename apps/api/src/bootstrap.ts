import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import {
  APP_CONFIG,
  CLOCK,
  NestPinoLogger,
  createAppLogger,
  type AppConfig,
  type AppLogger,
  type Clock,
} from '@caseledger/platform';
import { AppModule, type AppModuleOptions } from './app.module';
import { enableCors } from './common/http/cors';
import { BODY_LIMIT_BYTES, createHttpAdapter, installHttpEdge } from '@caseledger/http';
import { findShapeProblem } from './common/http/request-shape';
import { createValidationPipe } from './common/http/validation';
import {
  ProblemException,
  problemType,
  validationProblem,
} from './common/problems/problem-details';
import { serveOpenApi } from './openapi';

/**
 * Everything an API app needs besides its module: the edge above, the
 * request-shape check over every parsed body and query, edge validation,
 * OpenAPI at /openapi.json and /docs. Used by main.ts, the e2e tests and the
 * benchmark alike, so they all run the same app.
 */
export function configureApp(app: NestFastifyApplication, logger: AppLogger): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const clock = app.get<Clock>(CLOCK);
  const fastify = app.getHttpAdapter().getInstance();
  installHttpEdge(fastify, config, logger, { rateLimit: true });
  // CORS_ORIGINS: answers preflights before auth, and marks every answer (problems too).
  enableCors(app, config);
  // JSON bodies: a body that is not JSON is a `malformed-json` problem (Nest would
  // turn Fastify's SyntaxError into a bare 400); an empty one is `{}`, as before;
  // `__proto__`/`constructor` stay plain own keys for the shape check to refuse.
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch {
        done(
          new ProblemException({
            type: problemType('malformed-json'),
            title: 'The body is not valid JSON',
            status: 400,
            detail: 'The request body could not be parsed as JSON.',
          }),
          undefined,
        );
      }
    },
  );
  // Depth, NUL/unpaired surrogates and prototype keys, before guards and the Idempotency-Key fingerprint.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined || request.body === null) request.body = {};
    const problem = findShapeProblem(request.body) ?? findShapeProblem(request.query ?? {}, '');
    if (!problem) return done();
    done(validationProblem(`${problem.field} ${problem.message}`, [problem]));
  });
  app.useGlobalPipes(createValidationPipe(() => clock.now()));
  // No enableShutdownHooks here: main.ts installs the graceful shutdown,
  // which stops accepting connections before the modules stop and exits 0.
  serveOpenApi(app);
}

/**
 * The API app, initialised and ready to serve (Fastify's routes are complete
 * once it is ready; supertest and `listen` both need that).
 */
export async function createApiApp(
  config: AppConfig,
  options: Omit<AppModuleOptions, 'config'> & {
    clock?: Clock;
    logDestination?: NodeJS.WritableStream;
  } = {},
): Promise<NestFastifyApplication> {
  const logger = createAppLogger({
    level: config.logLevel,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
    }),
    createHttpAdapter(config),
    { logger: new NestPinoLogger(logger), bodyParser: false },
  );
  configureApp(app, logger);
  // Routes are registered by init and complete once Fastify is ready: callers
  // (supertest on getHttpServer(), listen) get a serving app; a later init() is a no-op.
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
