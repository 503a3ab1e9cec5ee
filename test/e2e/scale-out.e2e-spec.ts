import { caseStreamId } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import { DEADLINE_QUEUE } from '@caseledger/deadlines';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisUrl } from '@caseledger/testing';
import { tokenFor } from './support/api-harness';
import { daysAgo, openCaseBody } from './support/case-requests';
import {
  API_MAIN,
  WORKER_MAIN,
  freePort,
  metricNames,
  metricValue,
  postJson,
  startChild,
  startChildWorld,
  waitUntilHealthy,
  type ChildApp,
  type ChildWorld,
} from './support/child-app';

const DUE_CASES = 30;

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const held = (worker: ChildApp, consumer: string): Promise<number | undefined> =>
  metricValue(worker.url, `caseledger_lease_held{consumer="${consumer}"}`).catch(() => undefined);

/**
 * Scale-out: `start:api` and two `start:worker` processes side by side
 * on one PostgreSQL database and Redis. The deadline job processors scale out,
 * yet each due case gets exactly one soft exit (R8/R17); the projector and the
 * reactor each have one active consumer, and killing the projector's holder
 * hands it to the other worker.
 */
describe('scale out: one API and two worker processes', () => {
  let world: ChildWorld;
  let api: ChildApp | undefined;
  let workers: ChildApp[] = [];
  let store: EventStore | undefined;
  let cm: string;
  let admin: string;

  const post = (path: string, body: unknown) => postJson(api!, cm, path, body);

  beforeAll(async () => {
    world = await startChildWorld('scale-out');
    [cm, admin] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
    ]);
    const env = world.env({ LEASE_RETRY_MS: '300' });
    api = startChild('api', API_MAIN, await freePort(), { ...env, CASELEDGER_WORKER: 'off' });
    workers = [
      startChild('worker-1', WORKER_MAIN, await freePort(), env),
      startChild('worker-2', WORKER_MAIN, await freePort(), env),
    ];
    await Promise.all([api, ...workers].map((app) => waitUntilHealthy(app)));
    ({ store } = await world.reader());
  });

  afterAll(() => world?.close([api, ...workers]));

  it('R8/R17 with two workers: every due case gets exactly one CaseSoftExited', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < DUE_CASES; i++) {
      const body = openCaseBody({ openedOn: daysAgo(100) });
      expect((await post('/api/v1/cases', body)).status).toBe(201);
      caseIds.push(body.caseId as string);
    }
    const softExits = async (caseId: string): Promise<number> =>
      (await store!.readStream(caseStreamId(caseId))).filter((e) => e.type === 'CaseSoftExited')
        .length;
    await until(async () => {
      const counts = await Promise.all(caseIds.map(softExits));
      return counts.every((n) => n > 0) ? true : undefined;
    }, 'every due case soft-exited');
    // Let every deadline job settle (none waiting, delayed or active) before counting.
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    const queue = new Queue(DEADLINE_QUEUE, { connection: redis, prefix: world.prefix });
    try {
      await until(async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((n) => n === 0) ? true : undefined;
      }, 'the deadline queue to drain');
    } finally {
      await queue.close();
      await redis.quit();
    }
    expect(await Promise.all(caseIds.map(softExits))).toEqual(caseIds.map(() => 1));
  });

  it('the projector and the reactor each have exactly one active consumer among the workers', async () => {
    for (const consumer of ['projection-caseload', 'deadline-reactor']) {
      const values = await until(async () => {
        const both = await Promise.all(workers.map((worker) => held(worker, consumer)));
        return both.every((v) => v !== undefined) && both.reduce((a, b) => a + b, 0) === 1
          ? both
          : undefined;
      }, `one holder of ${consumer}`);
      expect([...values].sort()).toEqual([0, 1]);
    }
  });

  it('metrics: the API and each worker expose commands, refusals, append latency, lag, queues, lateness and leases', async () => {
    const apiNames = await metricNames(api!.url);
    for (const name of [
      'caseledger_commands_total',
      'caseledger_command_refusals_total',
      'caseledger_append_duration_seconds',
    ])
      expect(apiNames).toContain(name);
    for (const worker of workers) {
      const names = await metricNames(worker.url);
      for (const name of [
        'caseledger_commands_total',
        'caseledger_command_refusals_total',
        'caseledger_append_duration_seconds',
        'caseledger_projection_lag_events',
        'caseledger_queue_jobs',
        'caseledger_deadline_lateness_seconds',
        'caseledger_lease_held',
      ])
        expect(names).toContain(name);
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(
          await metricValue(
            worker.url,
            `caseledger_queue_jobs{queue="deadlines",state="${state}"}`,
          ),
        ).toEqual(expect.any(Number));
    }
  });

  it('when the projector’s holder is killed (SIGKILL), the other worker takes over and caseloads keep updating', async () => {
    const states = await Promise.all(workers.map((w) => held(w, 'projection-caseload')));
    const holder = workers[states.indexOf(1)];
    const standby = workers.find((w) => w !== holder)!;
    expect(holder).toBeDefined();

    holder.signal('SIGKILL');
    await holder.exited;
    await until(
      async () => ((await held(standby, 'projection-caseload')) === 1 ? true : undefined),
      'the standby to take the projector lease',
    );

    const body = openCaseBody({ caseManagerId: 'staff-after-failover', openedOn: daysAgo(5) });
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    await until(async () => {
      const res = await fetch(`${api!.url}/api/v1/caseloads/staff-after-failover`, {
        headers: { Authorization: `Bearer ${admin}` },
      });
      if (res.status !== 200) return undefined;
      const caseload = (await res.json()) as { cases: { caseId: string }[] };
      return caseload.cases.some((c) => c.caseId === body.caseId) ? true : undefined;
    }, 'the new case in the caseload');
  });
});
