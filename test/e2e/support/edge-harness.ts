import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type AppConfig } from '@caseledger/platform';
import { Redis } from 'ioredis';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { WorkerModule } from '@caseledger/worker';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { createTestDatabase, redisUrl, uniquePrefix } from '@caseledger/testing';
import { TEST_SECRET } from './api-harness';

export interface EdgeHarness {
  app: NestFastifyApplication;
  server: Parameters<typeof import('supertest')>[0];
  config: AppConfig;
  /** Every log line the app wrote so far (pino JSON). */
  logLines(): string[];
  /** Events in the store (every stream): a refused request appends none. */
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * One app on a throw-away PostgreSQL database with its own BullMQ prefix,
 * logging at `info` into memory so a test can read every line. With
 * `worker`, the worker side (projections, deadlines) runs in the process.
 */
export async function startEdgeApp(
  label: string,
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<EdgeHarness> {
  const database = await createTestDatabase(`${label}_e2e`);
  const prefix = uniquePrefix(`e2e-${label}`);
  const config = loadConfig({
    AUTH_JWT_SECRET: TEST_SECRET,
    REDIS_URL: redisUrl(),
    BULLMQ_PREFIX: prefix,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const lines: string[] = [];
  const destination = new PassThrough();
  let pending = '';
  destination.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter((line) => line.length > 0));
  });
  const app = await createApiApp(config, {
    ...(options.worker ? { workers: [WorkerModule] } : {}),
    logDestination: destination,
  });
  await app.init();
  const sql = new Client({ connectionString: database.url });
  await sql.connect();
  return {
    app,
    server: app.getHttpServer() as Parameters<typeof import('supertest')>[0],
    config,
    logLines: () => [...lines, ...(pending ? [pending] : [])],
    async eventCount() {
      const { rows } = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events');
      return Number(rows[0].n);
    },
    async close() {
      await sql.end();
      await app.close();
      await database.drop();
      const redis = new Redis(redisUrl());
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
