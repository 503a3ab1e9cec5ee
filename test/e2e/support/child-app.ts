import { join } from 'node:path';
import {
  createEventStore,
  openSqlClient,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import {
  createTestDatabase,
  killAll,
  redisUrl,
  startNodeProcess,
  uniquePrefix,
  type ChildApp,
  type TestDatabase,
} from '@caseledger/testing';
import { TEST_SECRET } from './api-harness';

const ROOT = join(__dirname, '..', '..', '..');
const HOOK = join(__dirname, 'ts-register.js');

export const API_MAIN = join(ROOT, 'apps', 'api', 'src', 'main.ts');
export const WORKER_MAIN = join(ROOT, 'apps', 'worker', 'src', 'main.ts');

export { freePort, killAll, waitUntilHealthy, type ChildApp, type Exit } from '@caseledger/testing';

/** One of the project's own processes (`npm start`, `start:api`, `start:worker`) started from its TypeScript main. */
export function startChild(
  name: string,
  main: string,
  port: number,
  env: Record<string, string>,
): ChildApp {
  return startNodeProcess(name, {
    args: ['-r', HOOK, main],
    port,
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // No inherited NODE_OPTIONS (jest's VM-module flag is not the product's).
      PORT: String(port),
      WORKER_PORT: String(port),
      ...env,
    },
  });
}

/** The names of the metrics a Prometheus text exposition declares. */
export async function metricNames(url: string): Promise<Set<string>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]));
}

/** The value of one sample line (`name{labels} value`), or undefined. */
export async function metricValue(url: string, sample: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

/**
 * What the process-level specs (crash safety, database outage, shutdown,
 * scale-out) share: a throw-away PostgreSQL database and BullMQ prefix, the
 * environment every child process gets, a reader on the children's store,
 * and one teardown for all of it.
 */
export interface ChildWorld {
  readonly database: TestDatabase;
  readonly prefix: string;
  /** DATABASE_URL, REDIS_URL, BULLMQ_PREFIX, AUTH_JWT_SECRET and LOG_LEVEL=warn, then `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** The children's store, opened on first use (for reading what they wrote). */
  reader(): Promise<{ sql: SqlClient; store: EventStore }>;
  /** Kills the children, closes the reader, drops the database, deletes the prefix's keys. */
  close(apps: readonly (ChildApp | undefined)[]): Promise<void>;
}

export async function startChildWorld(label: string): Promise<ChildWorld> {
  const database = await createTestDatabase(`${label.replace(/-/g, '_')}_e2e`);
  const prefix = uniquePrefix(label);
  let reader: { sql: SqlClient; store: EventStore } | undefined;
  return {
    database,
    prefix,
    env: (extra = {}) => ({
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BULLMQ_PREFIX: prefix,
      AUTH_JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      ...extra,
    }),
    async reader() {
      if (!reader) {
        const sql = await openSqlClient({ databaseUrl: database.url });
        reader = { sql, store: await createEventStore({ sql }) };
      }
      return reader;
    },
    async close(apps) {
      await killAll(apps);
      await reader?.store.close();
      await reader?.sql.close();
      await database.drop();
      const redis = new Redis(redisUrl());
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

/** POST a JSON body to a child process with a bearer token. */
export function postJson(
  app: ChildApp,
  token: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
}
