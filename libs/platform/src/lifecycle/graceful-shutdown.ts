import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface ShutdownLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface GracefulShutdownOptions {
  /** SHUTDOWN_GRACE_MS (`config.shutdown.graceMs`): after this the process gives up waiting and exits 1. */
  graceMs: number;
  logger: ShutdownLogger;
  signals?: NodeJS.Signals[];
  /** Defaults to process.exit (tests observe it). */
  exit?: (code: number) => void;
}

/**
 * The graceful shutdown, in this order:
 * 1. the HTTP server stops accepting connections, and every response from now
 *    on closes its connection (keep-alive clients would otherwise keep sending);
 * 2. in-flight requests finish (the store, SQL and Redis are still open);
 * 3. `app.close()`: onModuleDestroy stops the single consumers after their
 *    in-flight batch (checkpoints saved in the batch's transaction) and releases
 *    their leases, BullMQ workers close (waiting for their active jobs), then
 *    onApplicationShutdown closes the event store, SQL and Redis;
 * 4. the process exits 0 — or 1 if the grace period ran out first.
 * Nest's own enableShutdownHooks would close the app before the server stops
 * accepting and re-raise the signal (the process then dies by SIGTERM, not 0).
 */
export function installGracefulShutdown(
  app: INestApplication,
  options: GracefulShutdownOptions,
): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const server = app.getHttpServer() as Server | undefined;
  let draining = false;
  const inFlight = new Set<ServerResponse>();

  server?.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining && !res.headersSent) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // A keep-alive socket that just went idle is closed at once while draining.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  let started = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) return;
    started = true;
    options.logger.log(
      `${signal} received: draining ${inFlight.size} in-flight requests, then stopping (grace ${options.graceMs} ms)`,
    );
    const deadline = setTimeout(() => {
      options.logger.error(`shutdown took longer than ${options.graceMs} ms; exiting`);
      exit(1);
    }, options.graceMs);
    try {
      if (server?.listening) {
        draining = true;
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
      }
      await app.close();
      clearTimeout(deadline);
      options.logger.log('shutdown complete');
      exit(0);
    } catch (error) {
      clearTimeout(deadline);
      options.logger.error(`shutdown failed: ${(error as Error).stack ?? String(error)}`);
      exit(1);
    }
  };
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT'])
    process.on(signal, (received: NodeJS.Signals) => void shutdown(received));
}
