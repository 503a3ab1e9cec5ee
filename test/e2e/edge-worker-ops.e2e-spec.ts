import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { createTestDatabase, type TestDatabase, redisUrl, uniquePrefix } from '@caseledger/testing';
import {
  WORKER_MAIN,
  freePort,
  killAll,
  startChild,
  waitUntilHealthy,
  type ChildApp,
} from './support/child-app';

/**
 * `npm run start:worker` serves /health and /metrics on its own port: with
 * OPS_TOKEN set its /metrics needs the token as the API's does, it sends the
 * same security headers and no X-Powered-By.
 */
describe('worker process: OPS_TOKEN on /metrics, security headers', () => {
  const OPS = 'worker-ops-token-0123456789abcdef';
  const prefix = uniquePrefix('edge-worker');
  let database: TestDatabase;
  let worker: ChildApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('edge_worker_e2e');
    worker = startChild('worker', WORKER_MAIN, await freePort(), {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BULLMQ_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      OPS_TOKEN: OPS,
    });
    await waitUntilHealthy(worker);
  }, 120_000);

  afterAll(async () => {
    await killAll([worker]);
    await database?.drop();
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('/metrics is 401 problem+json without the token, 200 with it; /health stays open', async () => {
    const refused = await fetch(`${worker!.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const allowed = await fetch(`${worker!.url}/metrics`, {
      headers: { Authorization: `Bearer ${OPS}` },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('caseledger_');
    const health = await fetch(`${worker!.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('cache-control')).toBe('no-store');
  });
});
