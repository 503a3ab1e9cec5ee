import {
  ConfigError,
  installGracefulShutdown,
  loadConfig,
  loadLeaseSettings,
  loadShutdownGraceMs,
} from '@caseledger/platform';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { randomBytes } from 'node:crypto';
import { WorkerProcessModule } from './worker.module';

/**
 * The worker process on its own (`npm run start:worker`): the deadline reactor,
 * job processors and sweep (and the projections beside them), against
 * DATABASE_URL or EVENTSTORE_CONNECTION_STRING and REDIS_URL. It serves only
 * `/health` and `/metrics` on WORKER_PORT (default 3001).
 */
async function main(): Promise<void> {
  const env = { ...process.env };
  // The worker verifies no tokens; the shared configuration still asks for a
  // key, so a worker-only deployment need not be handed the API's secret.
  if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL)
    env.AUTH_JWT_SECRET = randomBytes(32).toString('hex');
  let config;
  let graceMs;
  try {
    config = loadConfig(env);
    graceMs = loadShutdownGraceMs(env);
    loadLeaseSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[caseledger-worker] ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const portText = env.WORKER_PORT?.trim() || '3001';
  if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
    process.stderr.write(
      `[caseledger-worker] WORKER_PORT must be a port number (got "${portText}")\n`,
    );
    process.exit(78);
  }
  const app = await NestFactory.create<NestExpressApplication>(
    WorkerProcessModule.forRoot({ config }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  const logger = new NestLogger('Caseledger');
  installGracefulShutdown(app, {
    graceMs,
    logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) },
  });
  await app.listen(Number(portText), '0.0.0.0');
  logger.log(`worker running; health and metrics on port ${portText}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger-worker] failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
