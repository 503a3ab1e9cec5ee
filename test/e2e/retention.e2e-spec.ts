import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PERSONAL_DATA_DISPOSED } from '@caseledger/domain';
import {
  CheckpointSigner,
  Checkpointer,
  SqlCheckpointStore,
  untilReadable,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import { EVENT_STORE, FixedClock, SQL_CLIENT, storedForm } from '@caseledger/platform';
import { PROJECTIONS, rebuildProjection } from '@caseledger/projections';
import { BACKENDS, startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody, today } from './support/case-requests';

type Server = Parameters<typeof request>[0];
const VERIFIER = join(__dirname, '..', '..', 'tools', 'verify-export.mjs');
const DAY_MS = 86_400_000;

/**
 * Records retention over HTTP (README "Records retention", "Personal data"):
 * personal fields are ciphertext in the events table; the dispose route
 * refuses (appending nothing) until every case of the customer is CLOSED and
 * past PERSONAL_DATA_RETENTION_DAYS; afterwards no byte of the customer's
 * names is readable in any table, the export or the access records, while
 * history, verification, checkpoints, the offline verifier and the
 * projections' non-personal fields are unchanged.
 */
describe.each(BACKENDS)('records retention over HTTP (%s)', (backend) => {
  const signer = CheckpointSigner.generate();
  const clock = new FixedClock(new Date());
  const tag = randomUUID().slice(0, 8);
  // Names no fixture uses, so a hit anywhere is this customer's.
  const firstName = `Zebulonia${tag}`;
  const lastName = `Quaternmaine${tag}`;
  const progressNote = `Spoke about her daughter Philippa${tag} starting school`;
  const customerId = `cust-ret-${tag}`;
  const otherCustomerId = `cust-open-${tag}`;
  let harness: ApiHarness;
  let server: Server;
  let sql: SqlClient;
  let store: EventStore;
  let dir: string;
  let admin: string;
  let auditor: string;
  let cm: string;
  let supervisor: string;
  const cases: string[] = [];

  const post = (token: string, path: string, body: Record<string, unknown>) =>
    request(server).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const eventCount = async (): Promise<number> =>
    Number(
      (await sql.query<{ n: string | number }>('SELECT count(*) AS n FROM es_events')).rows[0].n,
    );
  const dispose = (token: string, id: string) =>
    post(token, `/api/v1/customers/${id}/dispose`, {
      reason: 'retention period over',
      retentionRule: 'WIOA records schedule 3y',
    });

  /** Rows of every table in the schema whose text form holds `needle` (jsonb, bytea as hex, text). */
  const tablesHolding = async (needle: string): Promise<string[]> => {
    const { rows } = await sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    const hex = Buffer.from(needle, 'utf8').toString('hex');
    const found: string[] = [];
    for (const { table_name } of rows) {
      const { rows: hits } = await sql.query<{ n: string | number }>(
        `SELECT count(*) AS n FROM "${table_name}" t
         WHERE position(lower($1) in lower(t::text)) > 0 OR position($2 in t::text) > 0`,
        [needle, hex],
      );
      if (Number(hits[0].n) > 0) found.push(table_name);
    }
    return found;
  };

  const exportText = async (): Promise<string> => {
    const res = await request(server)
      .get('/api/v1/audit/export')
      .set('Authorization', `Bearer ${auditor}`)
      .buffer(true)
      .parse((response, done) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => done(null, body));
      });
    expect(res.status).toBe(200);
    return res.body as string;
  };
  const verifyOffline = (text: string): { status: number; output: string } => {
    const file = join(dir, `${randomUUID()}.ndjson`);
    const keyFile = join(dir, 'public.pem');
    writeFileSync(file, text);
    writeFileSync(keyFile, signer.publicKeyPem());
    const run = spawnSync(process.execPath, [VERIFIER, file, '--public-key', keyFile], {
      encoding: 'utf8',
    });
    return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
  };
  const caseloadRows = async () =>
    (
      await sql.query<Record<string, unknown>>(
        'SELECT * FROM caseload WHERE case_id = ANY($1) ORDER BY case_id',
        [cases],
      )
    ).rows;
  /** What the exit report and counts rest on: everything but the personal columns. */
  const nonPersonal = (rows: Record<string, unknown>[]) =>
    rows.map((row) => {
      const copy = { ...row };
      // The personal columns, the folded state they come from, and the position built to.
      for (const column of ['customer_id', 'customer_name', 'state', 'pos_commit', 'pos_prepare'])
        delete copy[column];
      return JSON.parse(JSON.stringify(copy)) as unknown;
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caseledger-retention-e2e-'));
    harness = await startApi(backend, {
      clock,
      env: {
        CHECKPOINT_SIGNING_KEY: signer.privateKeyPem(),
        PERSONAL_DATA_MASTER_KEY: randomBytes(32).toString('base64'),
        PERSONAL_DATA_RETENTION_DAYS: '30',
      },
    });
    server = harness.server;
    sql = harness.app.get<SqlClient>(SQL_CLIENT);
    store = harness.app.get<EventStore>(EVENT_STORE);
    [admin, auditor, cm, supervisor] = await Promise.all([
      tokenFor({ role: 'admin', center: 'cc-1', sub: 'staff-admin' }),
      tokenFor({ role: 'auditor', center: 'cc-audit', sub: 'staff-auditor' }),
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
    ]);
    for (let i = 0; i < 2; i += 1) {
      const body = openCaseBody({ customer: { id: customerId, firstName, lastName } });
      await post(cm, '/api/v1/cases', body).expect(201);
      const caseId = body.caseId as string;
      cases.push(caseId);
      await post(cm, `/api/v1/cases/${caseId}/enrollments`, enrollmentBody()).expect(201);
      await post(
        cm,
        `/api/v1/cases/${caseId}/contacts`,
        contactBody({ progress: progressNote }),
      ).expect(201);
      await post(cm, `/api/v1/cases/${caseId}/suspend`, {
        reason: 'MOVED_OUT_OF_AREA',
        details: `${firstName} moved to Kansas`,
      }).expect(200);
      await post(supervisor, `/api/v1/cases/${caseId}/suspension/approve`, {}).expect(200);
    }
    const open = openCaseBody({
      customer: { id: otherCustomerId, firstName: 'Other', lastName: 'Person' },
    });
    await post(cm, '/api/v1/cases', open).expect(201);
    await untilReadable(storedForm(store), 11);
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('personal fields are ciphertext in the events table, and reads decrypt them for the case manager', async () => {
    expect(await tablesHolding(firstName)).toEqual([]);
    expect(await tablesHolding(progressNote)).toEqual([]);
    const res = await request(server)
      .get(`/api/v1/cases/${cases[0]}`)
      .set('Authorization', `Bearer ${cm}`)
      .expect(200);
    expect(res.body).toMatchObject({
      status: 'CLOSED',
      customer: { id: customerId, firstName, lastName },
    });
    const { rows } = await sql.query<{ data: unknown }>(
      `SELECT data FROM es_events WHERE type = 'CaseOpened' AND stream_id = $1`,
      [`case-${cases[0]}`],
    );
    const stored = (typeof rows[0].data === 'string' ? JSON.parse(rows[0].data) : rows[0].data) as {
      customer: Record<string, unknown>;
    };
    expect(stored.customer.firstName).toMatchObject({ pd: 1, alg: 'A256GCM' });
  });

  it('refusals append nothing: not an admin, a case not closed, closed too recently, an unknown customer', async () => {
    const before = await eventCount();
    const notAdmin = await dispose(supervisor, customerId);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.headers['content-type']).toContain('application/problem+json');
    const notClosed = await dispose(admin, otherCustomerId);
    expect(notClosed.status).toBe(409);
    expect(notClosed.body.detail).toContain('CLOSED');
    const tooRecent = await dispose(admin, customerId);
    expect(tooRecent.status).toBe(409);
    expect(tooRecent.body.detail).toContain('retention period of 30 days');
    const unknown = await dispose(admin, `cust-nobody-${tag}`);
    expect(unknown.status).toBe(404);
    const malformed = await post(admin, `/api/v1/customers/${customerId}/dispose`, { reason: '' });
    expect(malformed.status).toBe(400);
    expect(await eventCount()).toBe(before);
  });

  it('after retention the admin disposes: nothing personal is readable anywhere, everything else still verifies', async () => {
    await rebuildProjection(sql, store, PROJECTIONS.caseload);
    const rowsBefore = await caseloadRows();
    expect(rowsBefore.map((r) => r.customer_name)).toEqual([
      `${firstName} ${lastName}`,
      `${firstName} ${lastName}`,
    ]);
    const before = await eventCount();

    // The exit report holds no personal data (README "Reports"): its bytes at a
    // position are the same whether computed before or after the disposal.
    const exitsAt = (position?: string) =>
      request(server)
        .get(
          `/api/v1/reports/exits?from=${daysAgo(60)}&to=${today()}${position ? `&atPosition=${position}` : ''}`,
        )
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200);
    const reportBefore = await exitsAt();
    const exitIds = (reportBefore.body.exits as { caseId: string }[]).map((e) => e.caseId);
    expect(exitIds).toEqual(expect.arrayContaining(cases));

    clock.advance(31 * DAY_MS);
    const res = await dispose(admin, customerId).expect(200);
    expect(res.body).toMatchObject({ customerId, outcome: 'DISPOSED' });
    expect((res.body.cases as { appended: boolean }[]).map((c) => c.appended)).toEqual([
      true,
      true,
    ]);
    expect(await eventCount()).toBe(before + 2);

    // The same report at the same position, computed after the disposal: the same digest and bytes;
    // at the newest position (two PersonalDataDisposed later) the exits and totals are unchanged.
    await untilReadable(storedForm(store), 13);
    const reportAfter = await exitsAt(reportBefore.body.position as string);
    expect(reportAfter.body.digest).toBe(reportBefore.body.digest);
    expect(reportAfter.text).toBe(reportBefore.text);
    const reportNow = await exitsAt();
    expect(reportNow.body.position).not.toBe(reportBefore.body.position);
    expect(reportNow.body.exits).toEqual(reportBefore.body.exits);
    expect(reportNow.body.totals).toEqual(reportBefore.body.totals);

    // Idempotent: a second disposal says so and appends nothing.
    const again = await dispose(admin, customerId).expect(200);
    expect(again.body.outcome).toBe('ALREADY_DISPOSED');
    expect(await eventCount()).toBe(before + 2);

    // Reads: the marker, never an error; status and dates stay.
    const read = await request(server)
      .get(`/api/v1/cases/${cases[0]}`)
      .set('Authorization', `Bearer ${cm}`)
      .expect(200);
    expect(read.body.customer).toEqual({
      id: PERSONAL_DATA_DISPOSED,
      firstName: PERSONAL_DATA_DISPOSED,
      lastName: PERSONAL_DATA_DISPOSED,
    });
    expect(read.body.status).toBe('CLOSED');
    const history = await request(server)
      .get(`/api/v1/cases/${cases[0]}/history`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    const types = (history.body.events as { type: string }[]).map((e) => e.type);
    expect(types[types.length - 1]).toBe('PersonalDataDisposed');
    expect(JSON.stringify(history.body)).not.toContain(firstName);
    expect(JSON.stringify(history.body)).not.toContain(progressNote);

    // Read models: the caseload drops the name; every non-personal field is the same.
    await untilReadable(storedForm(store), 13);
    await rebuildProjection(sql, store, PROJECTIONS.caseload);
    const rowsAfter = await caseloadRows();
    expect(rowsAfter.map((r) => r.customer_name)).toEqual([
      PERSONAL_DATA_DISPOSED,
      PERSONAL_DATA_DISPOSED,
    ]);
    expect(nonPersonal(rowsAfter)).toEqual(nonPersonal(rowsBefore));

    // Verification needs no key: chains, checkpoints, the export and the offline verifier.
    for (const caseId of cases) {
      const verified = await request(server)
        .get(`/api/v1/cases/${caseId}/verify`)
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200);
      expect(verified.body).toMatchObject({ valid: true, eventCount: 6 });
    }
    await untilReadable(storedForm(store), 13);
    const checkpointer = new Checkpointer(
      storedForm(store),
      await SqlCheckpointStore.create(sql),
      signer,
      { everyEvents: 4, everySeconds: 3600 },
    );
    await checkpointer.tick({ force: true });
    const storeVerify = await request(server)
      .get('/api/v1/audit/verify')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(storeVerify.body).toMatchObject({ ok: true, events: 13 });
    const text = await exportText();
    expect(text).not.toContain(firstName);
    expect(text).not.toContain(lastName);
    expect(text).not.toContain(progressNote);
    expect(text).toContain('"alg":"A256GCM"');
    const offline = verifyOffline(text);
    expect(offline.output).toContain('export verified: 13 events');
    expect(offline.status).toBe(0);

    // No table — events, keys, caseload, access records, idempotency — holds the names.
    expect(await tablesHolding(firstName)).toEqual([]);
    expect(await tablesHolding(lastName)).toEqual([]);
    expect(await tablesHolding(progressNote)).toEqual([]);
    const access = await sql.query<{ n: string | number }>(
      'SELECT count(*) AS n FROM audit_access_records WHERE case_id = ANY($1)',
      [cases],
    );
    expect(Number(access.rows[0].n)).toBeGreaterThan(0);
  });
});
