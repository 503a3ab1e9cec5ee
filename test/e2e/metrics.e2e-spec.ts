import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@caseledger/platform';
import { Redis } from 'ioredis';
import { rmSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createHttpAdapter } from '@caseledger/http';
import { WorkerModule, WorkerProcessModule } from '@caseledger/worker';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { pgliteDataDir, redisUrl, uniquePrefix } from '@caseledger/testing';
import { TEST_SECRET } from './support/api-harness';

type Server = Parameters<typeof request>[0];

/** What operators scrape: every family below, in every process that runs its part. */
const COMMAND_METRICS = [
  'caseledger_commands_total',
  'caseledger_command_refusals_total',
  'caseledger_append_duration_seconds',
];
const WORKER_METRICS = [
  'caseledger_projection_lag_events',
  'caseledger_queue_jobs',
  'caseledger_deadline_lateness_seconds',
  'caseledger_deadline_batch_jobs',
  'caseledger_lease_held',
];

async function families(server: Server): Promise<string[]> {
  const res = await request(server).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return [...res.text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]);
}

describe('/metrics of the all-in-one app and of the worker process', () => {
  const prefix = uniquePrefix('metrics');
  const dirs: string[] = [];
  const apps: INestApplication[] = [];

  const configIn = async () => {
    const dir = await pgliteDataDir('metrics');
    dirs.push(dir);
    return loadConfig({
      AUTH_JWT_SECRET: TEST_SECRET,
      REDIS_URL: redisUrl(),
      BULLMQ_PREFIX: prefix,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    });
  };

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('the all-in-one app exposes commands, refusals, append latency, projection lag, queue depths, deadline lateness and leases', async () => {
    const app = await createApiApp(await configIn(), { workers: [WorkerModule] });
    apps.push(app);
    await app.init();
    const names = await families(app.getHttpServer());
    expect(names).toEqual(expect.arrayContaining([...COMMAND_METRICS, ...WORKER_METRICS]));
  });

  it('the worker process exposes the same families on its own port', async () => {
    const config = await configIn();
    const app = await NestFactory.create<NestFastifyApplication>(
      WorkerProcessModule.forRoot({ config }),
      createHttpAdapter(config),
      { logger: false },
    );
    apps.push(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const server = app.getHttpServer() as Server;
    const names = await families(server);
    expect(names).toEqual(expect.arrayContaining([...COMMAND_METRICS, ...WORKER_METRICS]));
    // Queue depths by state, for each deadline queue.
    const text = (await request(server).get('/metrics')).text;
    for (const state of ['waiting', 'active', 'delayed', 'failed'])
      expect(text).toMatch(
        new RegExp(`^caseledger_queue_jobs\\{queue="deadlines",state="${state}"\\} \\d+`, 'm'),
      );
    // Every read model runs under its own lease and reports its own lag.
    for (const projection of ['caseload', 'case-search']) {
      expect(text).toMatch(
        new RegExp(`^caseledger_lease_held\\{consumer="projection-${projection}"\\} 1`, 'm'),
      );
      expect(text).toMatch(
        new RegExp(`^caseledger_projection_lag_events\\{projection="${projection}"\\} \\d+`, 'm'),
      );
    }
  });
});
