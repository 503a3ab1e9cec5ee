import {
  ConfigError,
  NestPinoLogger,
  createAppLogger,
  installGracefulShutdown,
  loadConfig,
} from '@caseledger/platform';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpAdapter, installHttpEdge } from '@caseledger/http';
import { WorkerProcessModule } from '@caseledger/worker';

/**
 * The worker process on its own (`npm run start:worker`): the deadline reactor,
 * job processors and sweep (and the projections beside them), against
 * DATABASE_URL or EVENTSTORE_CONNECTION_STRING and REDIS_URL. It serves only
 * `/health` and `/metrics` on WORKER_PORT (default 3001), on the same Fastify
 * set-up and logger as the API.
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
  const logger = createAppLogger({ level: config.logLevel });
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerProcessModule.forRoot({ config }),
    createHttpAdapter(config),
    { logger: new NestPinoLogger(logger) },
  );
  // The same operators' protections as the API: security headers, OPS_TOKEN on /metrics, the log line.
  installHttpEdge(app.getHttpAdapter().getInstance(), config, logger, {
    rateLimit: false,
  });
  const nestLogger = new NestLogger('Caseledger');
  installGracefulShutdown(app, {
    graceMs: config.shutdown.graceMs,
    logger: { log: (m) => nestLogger.log(m), error: (m) => nestLogger.error(m) },
  });
  await app.listen(config.worker.port, '0.0.0.0');
  nestLogger.log(`worker running; health and metrics on port ${config.worker.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger-worker] failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
