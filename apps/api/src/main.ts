import {
  ConfigError,
  createAppLogger,
  installGracefulShutdown,
  loadConfig,
  type AppConfig,
} from '@caseledger/platform';
import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';
import { WorkerModule } from '@caseledger/worker';
import { createApiApp } from './bootstrap';

/** Set by the cluster primary on each API process it forks: 0 … API_WORKERS − 1. */
const WORKER_INDEX = 'CASELEDGER_API_WORKER_INDEX';

/**
 * The all-in-one process that `npm start` runs: the HTTP API and, unless
 * CASELEDGER_WORKER=off (API-only replicas), the worker side (projections,
 * deadline jobs) on the same platform providers. With API_WORKERS=N above 1
 * the process is a node:cluster primary that forks N API processes sharing
 * PORT (see runPrimary).
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
  if (config.worker.apiWorkers > 1 && cluster.isPrimary) return runPrimary(config);
  // The worker side (single consumers, deadline jobs) runs once: in the only
  // process, or in the cluster's first API process.
  const index = process.env[WORKER_INDEX];
  const withWorker = config.worker.inApiProcess && (index === undefined || index === '0');
  const app = await createApiApp(config, withWorker ? { workers: [WorkerModule] } : {});
  const logger = new Logger('Caseledger');
  installGracefulShutdown(app, {
    graceMs: config.shutdown.graceMs,
    logger: { log: (m) => logger.log(m), error: (m) => logger.error(m) },
  });
  await app.listen(config.port, '0.0.0.0');
  logger.log(
    `API${index === undefined ? '' : ` process ${index}`} listening on port ${config.port}${withWorker ? ' with the worker side' : ''}`,
  );
}

/**
 * API_WORKERS=N: N API processes on the one port (the primary accepts and
 * hands connections round-robin), so one deployment uses the cores it has;
 * only the first also runs the worker side. A process that dies is forked
 * again under its index. SIGTERM/SIGINT go to every process, each drains and
 * stops as on its own (graceful shutdown); the primary exits 0 once all did
 * (1 if any failed or the grace period ran out).
 */
function runPrimary(config: AppConfig): void {
  const log = createAppLogger({ level: config.logLevel }).child({ context: 'Cluster' });
  const count = config.worker.apiWorkers;
  const byIndex = new Map<number, Worker>();
  let stopping = false;
  let failed = false;
  const fork = (index: number): void => {
    const worker = cluster.fork({ [WORKER_INDEX]: String(index) });
    byIndex.set(index, worker);
    worker.on('exit', (code, signal) => {
      if (byIndex.get(index) === worker) byIndex.delete(index);
      if (stopping) {
        if (code !== 0) failed = true;
        if (byIndex.size === 0) {
          log.info('every API process stopped');
          process.exit(failed ? 1 : 0);
        }
        return;
      }
      log.error(`API process ${index} exited (${signal ?? code}); forking it again`);
      setTimeout(() => fork(index), 1000).unref();
    });
  };
  for (let index = 0; index < count; index++) fork(index);
  log.info(`cluster primary: ${count} API processes on port ${config.port}`);
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: stopping ${byIndex.size} API processes`);
    for (const worker of byIndex.values()) worker.process.kill(signal);
    if (byIndex.size === 0) process.exit(0);
    setTimeout(() => {
      log.error(`API processes still running after ${config.shutdown.graceMs} ms; exiting`);
      process.exit(1);
    }, config.shutdown.graceMs + 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger] failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
