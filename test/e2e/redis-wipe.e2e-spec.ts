import request from 'supertest';
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { FixedClock, loadConfig } from '@caseledger/platform';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { WorkerModule } from '@caseledger/worker';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { TEST_SECRET, tokenFor } from './support/api-harness';
import { daysAgo, openCaseBody } from './support/case-requests';
import { freePort } from './support/child-app';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const SWEEP_EVERY_MS = 3_000;
const CASES = 6;
const DAY_MS = 86_400_000;

/**
 * "Losing Redis loses no decision", without a restart: a Redis that loses
 * everything (here FLUSHALL on a redis-server of this test's own, never the
 * shared one) drops every delayed deadline and the sweep's own scheduler. The
 * worker notices the wiped queue (its marker key is gone), re-asserts the
 * scheduler and re-derives every deadline at once: each due case exits
 * exactly once within one sweep interval.
 */
describe('Redis wiped under a running all-in-one app', () => {
  let redisServer: ChildProcess | undefined;
  let redis: Redis;
  let database: TestDatabase;
  let app: NestFastifyApplication | undefined;
  let server: Parameters<typeof request>[0];
  let token: string;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    const port = await freePort();
    redisServer = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
    for (let i = 0; i < 100; i++) {
      try {
        await redis.connect();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(await redis.ping()).toBe('PONG');
    database = await createTestDatabase('redis_wipe_e2e');
    const config = loadConfig({
      AUTH_JWT_SECRET: TEST_SECRET,
      REDIS_URL: `redis://127.0.0.1:${port}`,
      BULLMQ_PREFIX: 'wipe',
      DATABASE_URL: database.url,
      DEADLINE_SWEEP_EVERY_MS: String(SWEEP_EVERY_MS),
      LOG_LEVEL: 'silent',
    });
    app = await createApiApp(config, { workers: [WorkerModule], clock });
    await app.init();
    server = app.getHttpServer();
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await redis?.quit().catch(() => undefined);
    redisServer?.kill('SIGKILL');
  });

  const softExits = async (caseId: string): Promise<number> => {
    const res = await request(server)
      .get(`/api/v1/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    return (res.body as { events: Array<{ type: string }> }).events.filter(
      (e) => e.type === 'CaseSoftExited',
    ).length;
  };

  it('after FLUSHALL every due case exits exactly once within one sweep interval, without a restart', async () => {
    // Opened 85 days ago, no contact: each soft-exits in 5 days (R8), a delayed job meanwhile.
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const body = openCaseBody({ openedOn: daysAgo(85) });
      const res = await request(server)
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${token}`)
        .send(body);
      expect(res.status).toBe(201);
      caseIds.push(body.caseId as string);
    }
    const delayedKey = 'wipe:deadlines:delayed';
    for (let i = 0; i < 400 && (await redis.zcard(delayedKey)) < CASES * 2; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(await redis.zcard(delayedKey)).toBeGreaterThanOrEqual(CASES);

    await redis.flushall();
    expect(await redis.dbsize()).toBe(0);
    // A week later every case is past its soft-exit deadline, and Redis holds none of its jobs.
    clock.advance(7 * DAY_MS);

    // Within one sweep interval (and the time the sweep and the exits take), not at a restart.
    const started = Date.now();
    let counts: number[] = [];
    while (Date.now() - started < SWEEP_EVERY_MS + 10_000) {
      counts = await Promise.all(caseIds.map(softExits));
      if (counts.every((n) => n >= 1)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(counts).toEqual(caseIds.map(() => 1));

    // And exactly once: later sweeps re-derive nothing for an exited case.
    await new Promise((r) => setTimeout(r, SWEEP_EVERY_MS + 500));
    expect(await Promise.all(caseIds.map(softExits))).toEqual(caseIds.map(() => 1));
    // The sweep's scheduler is back.
    expect(await redis.exists('wipe:deadline-sweep:repeat:deadline-sweep')).toBeGreaterThanOrEqual(
      0,
    );
    expect((await redis.keys('wipe:deadline-sweep:*')).length).toBeGreaterThan(0);
  });
});
