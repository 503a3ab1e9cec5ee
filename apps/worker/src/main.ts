import { ConfigError, installGracefulShutdown, loadConfig } from '@caseledger/platform';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { opsAccess, securityHeaders } from '@caseledger/http';
import { WorkerProcessModule } from '@caseledger/worker';

/**
 * The worker process on its own (`npm run start:worker`): the deadline reactor,
 * job processors and sweep (and the projections beside them), against
 * DATABASE_URL or EVENTSTORE_CONNECTION_STRING and REDIS_URL. It serves only
 * `/health` and `/metrics` on WORKER_PORT (default 3001).
 */
async function main(): Promise<void> {
  let config;
  try {
    // The worker verifies no tokens: a worker-only deployment need not be handed the API's secret.
    config = loadConfig(process.env, { requireAuth: false });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[caseledger-worker] ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(
    WorkerProcessModule.forRoot({ config }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // The same operators' protections as the API: no X-Powered-By, security headers, OPS_TOKEN on /metrics.
  app.disable('x-powered-by');
  for (const middleware of securityHeaders()) app.use(middleware);
  const ops = opsAccess(config);
  if (ops) app.use(ops);
  const logger = new NestLogger('Caseledger');
  installGracefulShutdown(app, {
    graceMs: config.shutdown.graceMs,
    logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) },
  });
  await app.listen(config.worker.port, '0.0.0.0');
  logger.log(`worker running; health and metrics on port ${config.worker.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger-worker] failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
