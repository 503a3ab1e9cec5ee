import { caseStreamId } from '@caseledger/domain';
import {
  createEventStore,
  openSqlClient,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import { createTestDatabase, type TestDatabase, redisUrl, uniquePrefix } from '@caseledger/testing';
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

const CASES = 8;
const COMMANDS = 120;
/** kill -9 once this many commands were acknowledged (mid-load). */
const KILL_AFTER = 40;

interface Sent {
  caseId: string;
  key: string;
  body: Record<string, unknown>;
  contactId: string;
  /** The first answer, when one came back before the kill. */
  answer?: { status: number; body: unknown };
}

/**
 * Crash safety with Idempotency-Keys: the all-in-one process is killed with
 * SIGKILL mid-load, restarted on the same database, and every request is sent
 * again with its key. Nothing acknowledged is lost, nothing is doubled, every
 * repeat answers as the first answer did, and no key (nor stored answer)
 * names an event that does not exist.
 */
describe('kill -9 mid-load with Idempotency-Keys, restart, resend', () => {
  const prefix = uniquePrefix('crash');
  let database: TestDatabase;
  let app: ChildApp | undefined;
  let token: string;
  let sql: SqlClient | undefined;
  let store: EventStore | undefined;

  const env = (): Record<string, string> => ({
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    BULLMQ_PREFIX: prefix,
    AUTH_JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: 'warn',
    LEASE_RETRY_MS: '300',
  });

  const post = (path: string, body: unknown, key?: string): Promise<Response> =>
    fetch(`${app!.url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
        ...(key ? { 'Idempotency-Key': key } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    database = await createTestDatabase('crash_e2e');
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    app = startChild('all-in-one', API_MAIN, await freePort(), env());
    await waitUntilHealthy(app);
  }, 120_000);

  afterAll(async () => {
    await killAll([app]);
    await store?.close();
    await sql?.close();
    await database?.drop();
    const redis = new Redis(redisUrl());
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  /** Every stored key and answer names events that exist in its stream. */
  async function keysWithoutEvents(db: SqlClient): Promise<unknown[]> {
    const keys = await db.query(
      `SELECT k.idempotency_key FROM es_idempotency_keys k
        WHERE NOT EXISTS (SELECT 1 FROM es_events e
                           WHERE e.stream_id = k.stream_id
                             AND e.metadata->>'requestHash' = k.request_hash)`,
    );
    const answers = await db.query(
      `SELECT a.idempotency_key FROM api_idempotency_keys a
        WHERE a.response_body ? 'contactId'
          AND NOT EXISTS (SELECT 1 FROM es_events e
                           WHERE e.type = 'ContactRecorded'
                             AND e.data->>'contactId' = a.response_body->>'contactId')`,
    );
    return [...keys.rows, ...answers.rows];
  }

  it('loses nothing acknowledged, doubles nothing, and no key answers for a missing event', async () => {
    const caseIds: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const open = openCaseBody();
      expect((await post('/api/v1/cases', open)).status).toBe(201);
      const caseId = open.caseId as string;
      expect((await post(`/api/v1/cases/${caseId}/enrollments`, enrollmentBody())).status).toBe(
        201,
      );
      caseIds.push(caseId);
    }
    const sent: Sent[] = Array.from({ length: COMMANDS }, (_, i) => {
      const contactId = randomUUID();
      return {
        caseId: caseIds[i % CASES],
        key: `crash-${randomUUID()}`,
        body: contactBody({ contactId }),
        contactId,
      };
    });

    let next = 0;
    let acknowledged = 0;
    let killed = false;
    const lane = async (): Promise<void> => {
      while (next < sent.length) {
        const request = sent[next++];
        try {
          const res = await post(
            `/api/v1/cases/${request.caseId}/contacts`,
            request.body,
            request.key,
          );
          const body: unknown = await res.json();
          request.answer = { status: res.status, body };
          if (res.status === 201) acknowledged++;
        } catch {
          // The process was killed under this request: its outcome is unknown until resent.
        }
        if (!killed && acknowledged >= KILL_AFTER) {
          killed = true;
          app!.signal('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CASES }, () => lane()));
    expect(await app!.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const answeredBefore = sent.filter((s) => s.answer !== undefined);
    expect(answeredBefore.filter((s) => s.answer!.status !== 201)).toEqual([]);
    expect(answeredBefore.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(answeredBefore.length).toBeLessThan(COMMANDS);

    sql = await openSqlClient({ databaseUrl: database.url });
    store = await createEventStore({ sql });
    // Right after the crash: no key without its events.
    expect(await keysWithoutEvents(sql)).toEqual([]);

    app = startChild('all-in-one', API_MAIN, await freePort(), env());
    await waitUntilHealthy(app);
    const resent = await Promise.all(
      sent.map(async (request) => {
        const res = await post(
          `/api/v1/cases/${request.caseId}/contacts`,
          request.body,
          request.key,
        );
        return { request, status: res.status, body: (await res.json()) as { contactId?: string } };
      }),
    );
    for (const { request, status, body } of resent) {
      expect(status).toBe(201);
      expect(body.contactId).toBe(request.contactId);
      if (request.answer) expect(body).toEqual(request.answer.body);
    }

    const recorded = new Map<string, number>();
    for (const caseId of caseIds) {
      for (const event of await store.readStream(caseStreamId(caseId))) {
        if (event.type !== 'ContactRecorded') continue;
        const id = (event.data as { contactId: string }).contactId;
        recorded.set(id, (recorded.get(id) ?? 0) + 1);
      }
    }
    const lost = sent.filter((s) => !recorded.has(s.contactId));
    const doubled = [...recorded].filter(([, n]) => n > 1);
    expect(lost).toEqual([]);
    expect(doubled).toEqual([]);
    expect(recorded.size).toBe(COMMANDS);
    expect(await keysWithoutEvents(sql)).toEqual([]);
  }, 240_000);
});
