import request from 'supertest';
import { addDays } from '@caseledger/domain';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface CaseloadCase {
  caseId: string;
  contactDueOn: string | null;
  softExitDueOn: string | null;
  contactOverdue: boolean;
  openBarriers: number;
}
interface CaseloadBody {
  caseManagerId: string;
  cases: CaseloadCase[];
  total: number;
  freshness: { position: string; eventsBehind: number };
}

/**
 * The caseload as a user sees it: the all-in-one app (API + worker side) serves
 * caseloads from the projection; a command's effect shows up there within a
 * bounded time (polled, never timed), a transfer moves the case between
 * caseloads, and auditors get the compliance lists.
 */
describe('caseloads end to end (all-in-one app on PostgreSQL)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;
  let cm: string;
  let sup: string;
  let auditor: string;
  let otherCm: string;

  beforeAll(async () => {
    harness = await startAllInOne('caseload');
    server = harness.server;
    [cm, sup, auditor, otherCm] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
      tokenFor({ role: 'auditor', center: 'state', sub: 'auditor-1' }),
      tokenFor({ role: 'case_manager', center: 'cc-2', sub: 'staff-cm-2' }),
    ]);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const get = (path: string, token = cm) =>
    request(server).get(path).set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: object, token = cm) =>
    request(server).post(path).set('Authorization', `Bearer ${token}`).send(body);

  /** Polls until `accept` holds (bounded: the projector runs beside the API). */
  async function eventually(path: string, accept: (body: CaseloadBody) => boolean, token = cm) {
    let body: CaseloadBody | undefined;
    for (let attempt = 0; attempt < 400; attempt++) {
      const res = await get(path, token);
      expect(res.status).toBe(200);
      body = res.body as CaseloadBody;
      if (accept(body)) return body;
      await new Promise((r) => setTimeout(r, 25));
    }
    return body;
  }

  const has = (caseId: string) => (b: CaseloadBody) => b.cases.some((c) => c.caseId === caseId);

  it("R9: an opened case and then a contact appear in the case manager's caseload", async () => {
    const body = openCaseBody({ openedOn: daysAgo(70) });
    const caseId = body.caseId as string;
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    const listed = await eventually('/api/v1/caseloads/staff-cm-1', has(caseId));
    expect(listed?.caseManagerId).toBe('staff-cm-1');
    expect(listed?.cases.find((c) => c.caseId === caseId)).toMatchObject({
      softExitDueOn: addDays(daysAgo(70), 90),
      contactOverdue: false,
      openBarriers: 0,
    });

    expect(
      (
        await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ startDate: daysAgo(70) }),
        )
      ).status,
    ).toBe(201);
    expect(
      (await post(`/api/v1/cases/${caseId}/contacts`, contactBody({ occurredOn: daysAgo(1) })))
        .status,
    ).toBe(201);
    const after = await eventually('/api/v1/caseloads/staff-cm-1', (b) =>
      b.cases.some((c) => c.caseId === caseId && c.softExitDueOn === addDays(daysAgo(1), 90)),
    );
    expect(after?.cases.find((c) => c.caseId === caseId)?.softExitDueOn).toBe(
      addDays(daysAgo(1), 90),
    );
    expect(after?.freshness.position).toMatch(/^\d+\/\d+$/);
  });

  it('R12: a transfer moves the case from one caseload to the other', async () => {
    const body = openCaseBody();
    const caseId = body.caseId as string;
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    await eventually('/api/v1/caseloads/staff-cm-1', has(caseId));
    const moved = await post(
      `/api/v1/cases/${caseId}/transfer`,
      { toCareerCenterId: 'cc-1', toCaseManagerId: 'staff-cm-9', reason: 'Caseload balancing' },
      sup,
    );
    expect(moved.status).toBe(200);
    const target = await eventually('/api/v1/caseloads/staff-cm-9', has(caseId));
    expect(target?.cases.map((c) => c.caseId)).toContain(caseId);
    const source = await eventually('/api/v1/caseloads/staff-cm-1', (b) => !has(caseId)(b));
    expect(source?.cases.map((c) => c.caseId)).not.toContain(caseId);
  });

  it('R13: staff see only their own and cleared centers; another center is 403 problem+json', async () => {
    const theirs = await get('/api/v1/caseloads/staff-cm-1', otherCm);
    expect(theirs.status).toBe(200);
    expect((theirs.body as CaseloadBody).cases).toEqual([]);
    const refused = await get('/api/v1/caseloads?careerCenterId=cc-1', otherCm);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const listing = await get(
      '/api/v1/caseloads?careerCenterId=cc-1&status=ACTIVE&pageSize=5',
      sup,
    );
    expect(listing.status).toBe(200);
    const dues = (listing.body as CaseloadBody).cases.map((c) => c.contactDueOn ?? '9999');
    expect(dues).toEqual([...dues].sort());
    const invalid = await get('/api/v1/caseloads?overdue=maybe', sup);
    expect(invalid.status).toBe(400);
  });

  it('compliance lists are for auditors, supervisors and admins; lag shows in /health and /metrics', async () => {
    const report = await get('/api/v1/audit/compliance?from=2020-01-01&to=2099-12-31', auditor);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      softExitOverdue: { count: 0, cases: [] },
      suspensionsAwaitingReview: { count: 0 },
    });
    expect((await get('/api/v1/audit/compliance', cm)).status).toBe(403);
    const health = await request(server).get('/health');
    expect(
      (health.body as { checks: { projections?: { status: string } } }).checks.projections?.status,
    ).toBe('up');
    const metrics = await request(server).get('/metrics');
    expect(metrics.text).toContain('caseledger_projection_lag_events{projection="caseload"}');
  });
});
