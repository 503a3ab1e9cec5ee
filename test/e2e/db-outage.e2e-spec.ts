import { Client } from 'pg';
import {
  redisUrl,
  uniquePrefix,
  createTestDatabase,
  serverUrl,
  type TestDatabase,
} from '@caseledger/testing';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { Redis } from 'ioredis';
import { TEST_SECRET, tokenFor } from './support/api-harness';
import { contactBody, enrollmentBody, openCaseBody } from './support/case-requests';
import {
  API_MAIN,
  freePort,
  killAll,
  startChild,
  waitUntilHealthy,
  type ChildApp,
} from './support/child-app';

/**
 * A terminated PostgreSQL connection must never crash the process (an
 * unheard 'error' on a checked-out pg client does), and while the database
 * cannot be reached every answer is 503 with Retry-After (problem+json,
 * `unavailable`), never 500. Only this file's own database is touched: its
 * backends are found by datname.
 */
describe('PostgreSQL connections terminated under load (all-in-one process)', () => {
  const prefix = uniquePrefix('db-outage');
  let database: TestDatabase;
  let admin: Client;
  let app: ChildApp | undefined;
  let token: string;
  let exited = false;

  const adminUrl = (): string => {
    const url = new URL(serverUrl());
    url.pathname = '/postgres';
    return url.toString();
  };

  /** Terminates every backend of this test's database (never another's). */
  const terminateOwnBackends = async (): Promise<number> => {
    const { rows } = await admin.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database.name],
    );
    return rows.filter((r) => r.terminated).length;
  };

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${app!.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    database = await createTestDatabase('db_outage_e2e');
    admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    app = startChild('all-in-one', API_MAIN, await freePort(), {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl(),
      BULLMQ_PREFIX: prefix,
      AUTH_JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      LEASE_RETRY_MS: '300',
    });
    void app.exited.then(() => (exited = true));
    await waitUntilHealthy(app);
  });

  afterAll(async () => {
    await killAll([app]);
    await admin
      ?.query(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS true`)
      .catch(() => undefined);
    await admin?.end();
    await database?.drop();
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('survives repeated pg_terminate_backend mid-load: no crash, no 500, only 201 or 503', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const open = openCaseBody();
      expect((await post('/api/v1/cases', open)).status).toBe(201);
      expect(
        (await post(`/api/v1/cases/${String(open.caseId)}/enrollments`, enrollmentBody())).status,
      ).toBe(201);
      caseIds.push(open.caseId as string);
    }
    const statuses: number[] = [];
    const problems: Array<{
      type?: string;
      retryAfter: string | null;
      contentType: string | null;
    }> = [];
    let stop = false;
    const load = Array.from({ length: 12 }, async (_, lane) => {
      for (let n = 0; !stop; n++) {
        const caseId = caseIds[(lane + n) % caseIds.length];
        try {
          const res = await post(`/api/v1/cases/${caseId}/contacts`, contactBody());
          statuses.push(res.status);
          const text = await res.text();
          if (res.status >= 500) {
            problems.push({
              type: (JSON.parse(text) as { type?: string }).type,
              retryAfter: res.headers.get('retry-after'),
              contentType: res.headers.get('content-type'),
            });
          }
        } catch {
          statuses.push(-1); // the connection itself failed: the process died
        }
      }
    });
    let terminated = 0;
    for (let round = 0; round < 10; round++) {
      await new Promise((r) => setTimeout(r, 150));
      terminated += await terminateOwnBackends();
    }
    stop = true;
    await Promise.all(load);

    // What the process printed when it died, in the failure message.
    expect({ exited, stderr: exited ? app!.stderr.slice(-20) : [] }).toEqual({
      exited: false,
      stderr: [],
    });
    expect(terminated).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.type).toBe('https://caseledger.dev/problems/unavailable');
      expect(problem.retryAfter).toMatch(/^\d+$/);
      expect(problem.contentType).toContain('application/problem+json');
    }
    // And it serves again once the connections come back.
    expect((await post(`/api/v1/cases/${caseIds[0]}/contacts`, contactBody())).status).toBe(201);
  });

  it('answers 503 with Retry-After while the database refuses connections, then recovers', async () => {
    const open = openCaseBody();
    expect((await post('/api/v1/cases', open)).status).toBe(201);
    await admin.query(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS false`);
    try {
      await terminateOwnBackends();
      const answers = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const res = await post('/api/v1/cases', openCaseBody());
          return {
            status: res.status,
            retryAfter: res.headers.get('retry-after'),
            body: (await res.json()) as { type?: string; status?: number },
          };
        }),
      );
      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.retryAfter).toMatch(/^\d+$/);
        expect(answer.body.type).toBe('https://caseledger.dev/problems/unavailable');
      }
      const health = await fetch(`${app!.url}/health`);
      expect(health.status).toBe(503);
      await health.arrayBuffer();
    } finally {
      await admin.query(`ALTER DATABASE "${database.name}" WITH ALLOW_CONNECTIONS true`);
    }
    let status = 0;
    for (let i = 0; i < 100 && status !== 201; i++) {
      status = (await post('/api/v1/cases', openCaseBody())).status;
      if (status !== 201) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(201);
    expect(exited).toBe(false);
  });
});
