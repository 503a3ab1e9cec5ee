import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { createTestDatabase, redisUrl, uniquePrefix, type TestDatabase } from '@caseledger/testing';
import { TEST_SECRET, tokenFor } from './support/api-harness';
import { openCaseBody } from './support/case-requests';
import {
  API_MAIN,
  freePort,
  killAll,
  startChild,
  waitUntilHealthy,
  type ChildApp,
} from './support/child-app';

/**
 * API_WORKERS=2: `npm start` forks two API processes on one port (node:cluster).
 * Both answer, the worker side runs in one of them only, and SIGTERM stops
 * them all with exit 0.
 */
describe('API_WORKERS=2 (node:cluster)', () => {
  const prefix = uniquePrefix('api-workers');
  let database: TestDatabase;
  let app: ChildApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('api_workers_e2e');
    app = startChild('cluster', API_MAIN, await freePort(), {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BULLMQ_PREFIX: prefix,
      AUTH_JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
      API_WORKERS: '2',
      SHUTDOWN_GRACE_MS: '20000',
    });
  });

  afterAll(async () => {
    await killAll([app]);
    await database?.drop();
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('two processes answer on one port, the worker side runs once, SIGTERM exits 0', async () => {
    await waitUntilHealthy(app!, 2400);
    // Healthy means one process answers; the primary hands connections only to processes already listening.
    const listening = () =>
      app!.logLines().filter((line) => /^API process \d listening/.test(String(line.msg))).length;
    for (let i = 0; i < 1200 && listening() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    const token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    // Fresh connections each (no keep-alive), so the primary hands them to both processes.
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${app!.url}/api/v1/cases`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${token}`,
            Connection: 'close',
          },
          body: JSON.stringify(openCaseBody({ caseId: randomUUID() })),
        }),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(answers.map(() => 201));
    // The answering processes: the pids of the request lines.
    const requestLines = () =>
      app!.logLines().filter((line) => (line.req as { method?: string } | undefined)?.method);
    for (let i = 0; i < 50 && requestLines().length < 40; i++)
      await new Promise((r) => setTimeout(r, 100));
    const pids = new Set(requestLines().map((line) => line.pid));
    expect(pids.size).toBe(2);
    const messages = app!.logLines().map((line) => String(line.msg));
    expect(
      messages.filter((m) => /listening on port .* with the worker side/.test(m)),
    ).toHaveLength(1);
    expect(messages.filter((m) => /^API process \d listening/.test(m))).toHaveLength(2);

    app!.signal('SIGTERM');
    const exit = await app!.exited;
    expect(exit.code).toBe(0);
    expect(app!.logLines().map((line) => String(line.msg))).toContain('every API process stopped');
  }, 300_000);
});
