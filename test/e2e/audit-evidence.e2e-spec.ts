import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  CheckpointSigner,
  Checkpointer,
  SqlCheckpointStore,
  untilReadable,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import { EVENT_STORE, SQL_CLIENT } from '@caseledger/platform';
import { BACKENDS, startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface Line {
  kind: string;
  position?: string;
  streamId?: string;
  [key: string]: unknown;
}

const VERIFIER = join(__dirname, '..', '..', 'tools', 'verify-export.mjs');
const parseLines = (text: string): Line[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);

/**
 * Auditors' evidence over HTTP (DESIGN.md "Evidence an outsider can check",
 * "Additions": Auditors): the NDJSON export (filters, R13 scoping, resuming),
 * the signed checkpoints with their public key, store-wide verification, and
 * the access records every read of personal data leaves; each export checked
 * by the standalone verifier as an auditor would run it.
 */
describe.each(BACKENDS)('auditors’ evidence over HTTP (%s)', (backend) => {
  const signer = CheckpointSigner.generate();
  let harness: ApiHarness;
  let server: Server;
  let dir: string;
  let auditor: string;
  let admin: string;
  let cm1: string;
  let cm2: string;
  const cc1Cases: string[] = [];
  let cc2Case: string;
  let checkpointer: Checkpointer;
  let afterFirstCase: string | undefined;

  const verifyOffline = (text: string): { status: number; output: string } => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.ndjson`);
    const keyFile = join(dir, 'public.pem');
    writeFileSync(file, text);
    writeFileSync(keyFile, signer.publicKeyPem());
    const run = spawnSync(process.execPath, [VERIFIER, file, '--public-key', keyFile], {
      encoding: 'utf8',
    });
    return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
  };

  const exportText = async (token: string, query = ''): Promise<string> => {
    const res = await request(server)
      .get(`/api/v1/audit/export${query}`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((response, done) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => done(null, body));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    return res.body as string;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caseledger-audit-e2e-'));
    harness = await startApi(backend, {
      env: { CHECKPOINT_SIGNING_KEY: signer.privateKeyPem(), CHECKPOINT_INTERVAL_EVENTS: '4' },
    });
    server = harness.server;
    [auditor, admin, cm1, cm2] = await Promise.all([
      tokenFor({ role: 'auditor', center: 'cc-audit', sub: 'staff-auditor' }),
      tokenFor({ role: 'admin', center: 'cc-1', sub: 'staff-admin' }),
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'case_manager', center: 'cc-2', sub: 'staff-cm-2' }),
    ]);
    for (const [token, center] of [
      [cm1, 'cc-1'],
      [cm2, 'cc-2'],
      [cm1, 'cc-1'],
    ] as const) {
      const body = openCaseBody({ careerCenterId: center });
      const opened = await request(server)
        .post('/api/v1/cases')
        .set('Authorization', `Bearer ${token}`)
        .send(body);
      expect(opened.status).toBe(201);
      const caseId = body.caseId as string;
      if (center === 'cc-1') cc1Cases.push(caseId);
      else cc2Case = caseId;
      await request(server)
        .post(`/api/v1/cases/${caseId}/enrollments`)
        .set('Authorization', `Bearer ${token}`)
        .send(enrollmentBody())
        .expect(201);
      await request(server)
        .post(`/api/v1/cases/${caseId}/contacts`)
        .set('Authorization', `Bearer ${token}`)
        .send(contactBody())
        .expect(201);
      if (!afterFirstCase) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        afterFirstCase = new Date().toISOString();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const store = harness.app.get<EventStore>(EVENT_STORE);
    const sql = harness.app.get<SqlClient>(SQL_CLIENT);
    await untilReadable(store, 9);
    checkpointer = new Checkpointer(store, await SqlCheckpointStore.create(sql), signer, {
      everyEvents: 4,
      everySeconds: 3600,
    });
    await checkpointer.tick({ force: true });
  });

  afterAll(async () => {
    await harness?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/v1/audit/checkpoints serves the public key and the signed checkpoints', async () => {
    const res = await request(server)
      .get('/api/v1/audit/checkpoints')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(res.body).toMatchObject({
      algorithm: 'Ed25519',
      canonicalization: 'RFC 8785 (JCS)',
      publicKey: signer.publicKeyPem(),
      keyId: signer.keyId,
    });
    const checkpoints = res.body.checkpoints as { sequence: number; eventCount: number }[];
    expect(checkpoints.map((c) => c.sequence)).toEqual([1, 2, 3]);
    expect(checkpoints.map((c) => c.eventCount)).toEqual([4, 4, 1]);
  });

  it('an auditor exports every event with the checkpoints, and the offline verifier accepts the file', async () => {
    const text = await exportText(auditor);
    const lines = parseLines(text);
    expect(lines[0]).toMatchObject({ kind: 'export', publicKey: signer.publicKeyPem() });
    expect(lines.filter((l) => l.kind === 'event')).toHaveLength(9);
    expect(lines.filter((l) => l.kind === 'checkpoint')).toHaveLength(3);
    expect(lines[lines.length - 1]).toMatchObject({ kind: 'end', events: 9 });
    const result = verifyOffline(text);
    expect(result.output).toContain('export verified: 9 events in 3 streams, 3 checkpoints');
    expect(result.status).toBe(0);
  });

  it('R13: a case manager exports only the cases of their center; the others are elided to their hashes and the file still verifies', async () => {
    const text = await exportText(cm1);
    const lines = parseLines(text);
    const streams = new Set(lines.filter((l) => l.kind === 'event').map((l) => l.streamId));
    expect([...streams].sort()).toEqual(cc1Cases.map((id) => `case-${id}`).sort());
    expect(lines.filter((l) => l.kind === 'elided')).toHaveLength(3);
    expect(text).not.toContain(cc2Case);
    expect(verifyOffline(text).status).toBe(0);
    const refused = await request(server)
      .get('/api/v1/audit/export?careerCenterId=cc-2')
      .set('Authorization', `Bearer ${cm1}`);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const otherCase = await request(server)
      .get(`/api/v1/audit/export?caseId=${cc2Case}`)
      .set('Authorization', `Bearer ${cm1}`);
    expect(otherCase.status).toBe(403);
  });

  it('filters by case and by career center', async () => {
    const byCase = parseLines(await exportText(auditor, `?caseId=${cc1Cases[1]}`));
    expect(byCase.filter((l) => l.kind === 'event').map((l) => l.streamId)).toEqual(
      Array(3).fill(`case-${cc1Cases[1]}`),
    );
    const byCenter = parseLines(await exportText(auditor, '?careerCenterId=cc-2'));
    expect(new Set(byCenter.filter((l) => l.kind === 'event').map((l) => l.streamId))).toEqual(
      new Set([`case-${cc2Case}`]),
    );
    const recordedTo = parseLines(await exportText(auditor, '?recordedTo=2000-01-01'));
    expect(recordedTo.filter((l) => l.kind === 'event')).toHaveLength(0);
  });

  it('resumes from the last line’s position: the rest of the events, none twice, and the resumed file verifies', async () => {
    const full = parseLines(await exportText(auditor)).filter((l) => l.kind === 'event');
    const cut = full[4].position!;
    const text = await exportText(auditor, `?fromPosition=${encodeURIComponent(cut)}`);
    const rest = parseLines(text).filter((l) => l.kind === 'event');
    expect(rest.map((l) => l.position)).toEqual(full.slice(5).map((l) => l.position));
    expect(verifyOffline(text).status).toBe(0);
  });

  it('malformed filters are a 400 problem and nothing is streamed', async () => {
    const res = await request(server)
      .get('/api/v1/audit/export?fromPosition=abc&recordedFrom=yesterday')
      .set('Authorization', `Bearer ${auditor}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(
      ['fromPosition', 'recordedFrom'],
    );
  });

  it('GET /api/v1/audit/verify: auditors and admins verify the whole store or one case; others may not', async () => {
    const all = await request(server)
      .get('/api/v1/audit/verify')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(all.body).toMatchObject({
      ok: true,
      events: 9,
      streams: 3,
      checkpoints: 3,
      failures: [],
    });
    const one = await request(server)
      .get(`/api/v1/audit/verify?caseId=${cc2Case}`)
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(one.body).toMatchObject({ ok: true, events: 3 });
    await request(server)
      .get('/api/v1/audit/verify')
      .set('Authorization', `Bearer ${cm1}`)
      .expect(403);
  });

  it('every read of personal data is recorded: who, which case, which route; auditors and admins query it', async () => {
    const caseId = cc1Cases[0];
    await request(server)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', `Bearer ${cm1}`)
      .expect(200);
    await request(server)
      .get(`/api/v1/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${cm1}`)
      .expect(200);
    // A refused read shows nothing, so records nothing.
    await request(server)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', `Bearer ${cm2}`)
      .expect(403);
    const res = await request(server)
      .get(`/api/v1/audit/access?caseId=${caseId}`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    const records = (
      res.body as { records: { staffId: string; route: string; caseId: string; at: string }[] }
    ).records;
    const routes = records.map((r) => `${r.staffId} ${r.route}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'staff-cm-1 GET /api/v1/cases/:caseId',
        'staff-cm-1 GET /api/v1/cases/:caseId/history',
        'staff-auditor GET /api/v1/audit/export',
        'staff-cm-1 GET /api/v1/audit/export',
      ]),
    );
    expect(routes.filter((r) => r.startsWith('staff-cm-2'))).toEqual([]);
    expect(records.every((r) => r.caseId === caseId && !Number.isNaN(Date.parse(r.at)))).toBe(true);
    const byStaff = await request(server)
      .get('/api/v1/audit/access?staffId=staff-cm-1')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(
      (byStaff.body as { records: { staffId: string }[] }).records.every(
        (r) => r.staffId === 'staff-cm-1',
      ),
    ).toBe(true);
    await request(server)
      .get('/api/v1/audit/access')
      .set('Authorization', `Bearer ${cm1}`)
      .expect(403);
    await request(server)
      .get('/api/v1/audit/access?limit=0')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(400);
  });

  it('caseloads accept asOf: the caseload as it stood then, folded from the log', async () => {
    const then = await request(server)
      .get(`/api/v1/caseloads/staff-cm-1?asOf=${encodeURIComponent(afterFirstCase!)}`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect((then.body as { cases: { caseId: string }[] }).cases.map((c) => c.caseId)).toEqual([
      cc1Cases[0],
    ]);
    expect(then.body).toMatchObject({ total: 1, asOf: afterFirstCase });
    const now = await request(server)
      .get(`/api/v1/caseloads/staff-cm-1?asOf=${encodeURIComponent(new Date().toISOString())}`)
      .set('Authorization', `Bearer ${cm1}`)
      .expect(200);
    // R13: the case manager of cc-1 sees the two cc-1 cases, not cc-2's.
    expect((now.body as { cases: { caseId: string }[] }).cases.map((c) => c.caseId).sort()).toEqual(
      [...cc1Cases].sort(),
    );
    const before = await request(server)
      .get('/api/v1/caseloads/staff-cm-1?asOf=2000-01-01')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    expect(before.body).toMatchObject({ total: 0, cases: [] });
    const bad = await request(server)
      .get('/api/v1/caseloads/staff-cm-1?asOf=last-tuesday')
      .set('Authorization', `Bearer ${auditor}`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });
});
