import { ConfigError, installGracefulShutdown, loadConfig } from '@caseledger/platform';
import { Logger } from '@nestjs/common';
import { WorkerModule } from '@caseledger/worker';
import { createApiApp } from './bootstrap';

/**
 * The all-in-one process that `npm start` runs: the HTTP API and, unless
 * CASELEDGER_WORKER=off (API-only replicas), the worker side (projections,
 * deadline jobs) on the same platform providers.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[caseledger] ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const withWorker = config.worker.inApiProcess;
  const app = await createApiApp(config, withWorker ? { workers: [WorkerModule] } : {});
  const logger = new Logger('Caseledger');
  installGracefulShutdown(app, {
    graceMs: config.shutdown.graceMs,
    logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) },
  });
  await app.listen(config.port, '0.0.0.0');
  logger.log(`API listening on port ${config.port}${withWorker ? ' with the worker side' : ''}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
