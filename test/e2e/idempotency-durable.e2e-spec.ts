import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { EventStore, SqlClient } from '@caseledger/event-store';
import { EVENT_STORE, IdempotencyPurger, IdempotencyStore, SQL_CLIENT } from '@caseledger/platform';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];

/**
 * The Idempotency-Key is written with the events, in their transaction (its
 * request fingerprint also in their metadata), not after them: a crash
 * between the append and the saved answer can no longer let the same key
 * with another body answer 201 for events it did not produce, nor refuse the
 * original body afterwards. Keys expire after IDEMPOTENCY_RETENTION_DAYS.
 */
describe('Idempotency-Key stored with the events (PostgreSQL)', () => {
  let harness: ApiHarness;
  let server: Server;
  let token: string;
  let sql: SqlClient;
  let caseId: string;

  beforeAll(async () => {
    harness = await startApi('postgres');
    server = harness.server;
    sql = harness.app.get<SqlClient>(SQL_CLIENT);
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    const open = openCaseBody();
    caseId = open.caseId as string;
    expect((await post('/api/v1/cases', open)).status).toBe(201);
    expect((await post(`/api/v1/cases/${caseId}/enrollments`, enrollmentBody())).status).toBe(201);
  });

  afterAll(async () => {
    await harness?.close();
  });

  function post(path: string, body: object, key?: string) {
    const req = request(server).post(path).set('Authorization', `Bearer ${token}`);
    return key ? req.set('Idempotency-Key', key).send(body) : req.send(body);
  }

  const contacts = async (): Promise<number> => {
    const res = await request(server)
      .get(`/api/v1/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${token}`);
    return (res.body as { events: Array<{ type: string }> }).events.filter(
      (e) => e.type === 'ContactRecorded',
    ).length;
  };

  /** What a crash right after the append's commit leaves: the events, not the answer copy. */
  const loseAnswerCopy = (key: string) =>
    sql.query('DELETE FROM api_idempotency_keys WHERE idempotency_key = $1', [key]);

  it('the key and its fingerprint commit with the events: after losing the answer, another body is 422 and the original body gets its answer, appended once', async () => {
    const key = `k-${randomUUID()}`;
    const original = contactBody({ contactId: randomUUID() });
    const first = await post(`/api/v1/cases/${caseId}/contacts`, original, key);
    expect(first.status).toBe(201);
    const before = await contacts();

    const { rows } = await sql.query<{ stream_id: string; request_hash: string }>(
      'SELECT stream_id, request_hash FROM es_idempotency_keys WHERE idempotency_key = $1',
      [key],
    );
    expect(rows).toEqual([{ stream_id: `case-${caseId}`, request_hash: expect.any(String) }]);

    await loseAnswerCopy(key);
    const other = await post(
      `/api/v1/cases/${caseId}/contacts`,
      contactBody({ contactId: randomUUID(), progress: 'A different request under the same key.' }),
      key,
    );
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      type: 'https://caseledger.dev/problems/idempotency-key-reused',
    });

    const again = await post(`/api/v1/cases/${caseId}/contacts`, original, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await contacts()).toBe(before);
  });

  it('where no key table is kept (EventStoreDB), the fingerprint in the events metadata still refuses another body', async () => {
    const key = `k-${randomUUID()}`;
    const original = contactBody({ contactId: randomUUID() });
    const first = await post(`/api/v1/cases/${caseId}/contacts`, original, key);
    expect(first.status).toBe(201);
    await loseAnswerCopy(key);
    await sql.query('DELETE FROM es_idempotency_keys WHERE idempotency_key = $1', [key]);

    const stored = await harness.app.get<EventStore>(EVENT_STORE).readStream(`case-${caseId}`);
    expect(stored[stored.length - 1].metadata.requestHash).toMatch(/^[0-9a-f]{64}$/);

    const other = await post(
      `/api/v1/cases/${caseId}/contacts`,
      contactBody({ contactId: randomUUID(), progress: 'A different request under the same key.' }),
      key,
    );
    expect(other.status).toBe(422);
    const again = await post(`/api/v1/cases/${caseId}/contacts`, original, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
  });

  it('keys expire after the retention (default 7 days): older ones are purged, younger ones kept', async () => {
    expect(harness.config.idempotency.retentionDays).toBe(7);
    const old = `k-${randomUUID()}`;
    const young = `k-${randomUUID()}`;
    expect((await post(`/api/v1/cases/${caseId}/contacts`, contactBody(), old)).status).toBe(201);
    expect((await post(`/api/v1/cases/${caseId}/contacts`, contactBody(), young)).status).toBe(201);
    for (const table of ['api_idempotency_keys', 'es_idempotency_keys']) {
      await sql.query(
        `UPDATE ${table} SET created_at = now() - interval '8 days' WHERE idempotency_key = $1`,
        [old],
      );
    }
    const purger = new IdempotencyPurger(
      harness.app.get(IdempotencyStore),
      harness.app.get<EventStore>(EVENT_STORE),
      harness.config.idempotency.retentionDays,
    );
    expect(await purger.purge()).toEqual({ answers: 1, keys: 1 });
    const left = async (table: string) =>
      (
        await sql.query<{ idempotency_key: string }>(
          `SELECT idempotency_key FROM ${table} WHERE idempotency_key = ANY($1::text[])`,
          [[old, young]],
        )
      ).rows.map((r) => r.idempotency_key);
    expect(await left('api_idempotency_keys')).toEqual([young]);
    expect(await left('es_idempotency_keys')).toEqual([young]);
  });
});
