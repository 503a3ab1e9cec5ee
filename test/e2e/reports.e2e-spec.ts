import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { SYSTEM_ACTOR } from '@caseledger/domain';
import { CaseCommandExecutor } from '@caseledger/platform';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody, today } from './support/case-requests';

type Body = Record<string, unknown>;
interface ExitRowBody {
  caseId: string;
  exitDate: string;
  program: string;
  careerCenterId: string;
  localAreaId: string;
  exitType: string;
  closureReason: string | null;
  otherReasonForExit: string | null;
  detectedOn: string;
  daysFromLastQualifyingContactToDetection: number;
}
interface ExitReportBody {
  position: string;
  digest: string;
  exits: ExitRowBody[];
  totals: {
    exits: number;
    byProgram: Record<string, number>;
    byCareerCenter: Record<string, number>;
  };
}
interface WhatIfBody {
  position: string;
  differences: Array<{
    caseId: string;
    differs: string[];
    asRecorded: { exited: boolean; exitDate: string | null };
    whatIf: { exited: boolean; exitDate: string | null; exitInPeriod: string | null };
  }>;
  totals: {
    cases: number;
    casesWithDifferences: number;
    exits: { asRecorded: number; whatIf: number };
  };
}

/**
 * DESIGN.md "Additions" → Reports: the exit report folded from the log and
 * pinned to a position and a digest, the policy what-if, saved cohorts; R13
 * scoping and the edge's refusals. History is entered "back then" through a
 * clock running behind (the business dates are what the reports read).
 */
describe('reports from the log (PostgreSQL)', () => {
  // Waits for the shared server's read horizon (a long transaction elsewhere holds it) fit inside.
  jest.setTimeout(320_000);
  let api: ApiHarness;
  let cm: string;
  let sup: string;
  let auditor: string;
  let cm2: string;
  let behindDays = 0;
  const at = (days: number) => {
    behindDays = days;
  };
  const from = daysAgo(250);
  const to = today();
  const ids: Record<string, string> = {};

  const post = (path: string, body: unknown, token = cm) =>
    request(api.server)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token = auditor) =>
    request(api.server).get(path).set('Authorization', `Bearer ${token}`);
  async function ok(res: request.Response, status = 200): Promise<Body> {
    if (res.status !== status) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`);
    return Promise.resolve(res.body as Body);
  }
  async function openCase(over: Body, token = cm): Promise<string> {
    const body = await ok(await post('/api/v1/cases', openCaseBody(over), token), 201);
    const caseId = body.caseId as string;
    await ok(
      await post(
        `/api/v1/cases/${caseId}/enrollments`,
        enrollmentBody({ startDate: over.openedOn }),
        token,
      ),
      201,
    );
    return caseId;
  }
  const contact = async (caseId: string, daysBack: number) =>
    ok(
      await post(
        `/api/v1/cases/${caseId}/contacts`,
        contactBody({ occurredOn: daysAgo(daysBack) }),
      ),
      201,
    );
  async function closeMoved(caseId: string): Promise<void> {
    await ok(
      await post(`/api/v1/cases/${caseId}/suspend`, {
        reason: 'MOVED_OUT_OF_AREA',
        details: 'Moved to Kansas; verified by phone.',
      }),
    );
    await ok(await post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup));
  }
  const exitsQuery = (extra = '') => `/api/v1/reports/exits?from=${from}&to=${to}${extra}`;

  /**
   * The store only returns events of finished transactions (another database
   * on the shared server may hold the horizon back a moment): wait until the
   * report has caught up with what the cases show.
   */
  async function reportWith(exits: number, token = auditor, extra = ''): Promise<request.Response> {
    for (let attempt = 0; ; attempt += 1) {
      const res = await get(exitsQuery(extra), token);
      if ((res.body as ExitReportBody).totals?.exits === exits || attempt > 1200) return res;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    api = await startApi('postgres', {
      clock: { now: () => new Date(Date.now() - behindDays * 86_400_000) },
    });
    [cm, sup, auditor, cm2] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
      tokenFor({ role: 'auditor', center: 'cc-audit', sub: 'staff-auditor' }),
      tokenFor({ role: 'case_manager', center: 'cc-2', sub: 'staff-cm-2' }),
    ]);
    // Soft-exited back then: last contact 195 days ago, the job fired 100 days ago (R17).
    at(200);
    ids.exited = await openCase({ openedOn: daysAgo(200) });
    at(195);
    await contact(ids.exited, 195);
    at(100);
    await api.app.get(CaseCommandExecutor).execute({
      caseId: ids.exited,
      command: { type: 'SoftExitCase', data: {} },
      actor: SYSTEM_ACTOR,
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    at(0);
    // A 70-day gap between qualifying contacts (within 90: served).
    ids.gap70 = await openCase({ openedOn: daysAgo(89) });
    await contact(ids.gap70, 85);
    await contact(ids.gap70, 15);
    // Gaps of 5, 50 and 20 days.
    ids.gap50 = await openCase({ openedOn: daysAgo(80) });
    await contact(ids.gap50, 75);
    await contact(ids.gap50, 25);
    await contact(ids.gap50, 5);
    // No contact since opening 70 days ago.
    ids.quiet = await openCase({ openedOn: daysAgo(70) });
    // Closed: moved out of the area; the exit date is the last contact (R14 v2).
    ids.closed = await openCase({ openedOn: daysAgo(40) });
    await contact(ids.closed, 30);
    await closeMoved(ids.closed);
    // Another center's quiet case (R13).
    ids.other = await openCase(
      { openedOn: daysAgo(70), careerCenterId: 'cc-2', caseManagerId: 'staff-cm-2' },
      cm2,
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  it('the exit report lists exactly the exits the cases show, with PIRL-style fields and totals, and no personal data', async () => {
    const res = await reportWith(2);
    expect(res.status).toBe(200);
    const report = res.body as ExitReportBody;
    const shown: Array<{ caseId: string; exitDate: string }> = [];
    for (const caseId of Object.values(ids)) {
      const state = await ok(await get(`/api/v1/cases/${caseId}`));
      if (state.exitDate && (state.status === 'SOFT_EXITED' || state.status === 'CLOSED'))
        shown.push({ caseId, exitDate: state.exitDate as string });
    }
    expect(shown).toHaveLength(2);
    expect(
      report.exits
        .map((e) => ({ caseId: e.caseId, exitDate: e.exitDate }))
        .sort((a, b) => (a.exitDate < b.exitDate ? -1 : 1)),
    ).toEqual(shown.sort((a, b) => (a.exitDate < b.exitDate ? -1 : 1)));
    const soft = report.exits.find((e) => e.caseId === ids.exited)!;
    expect(soft).toEqual({
      caseId: ids.exited,
      exitDate: daysAgo(195),
      program: 'WIOA_ADULT',
      careerCenterId: 'cc-1',
      localAreaId: 'MO-DEFAULT',
      exitType: 'SOFT_EXIT',
      closureReason: null,
      otherReasonForExit: null,
      detectedOn: daysAgo(100),
      daysFromLastQualifyingContactToDetection: 95,
    });
    const closed = report.exits.find((e) => e.caseId === ids.closed)!;
    expect(closed).toMatchObject({
      exitDate: daysAgo(30),
      exitType: 'CLOSURE',
      closureReason: 'MOVED_OUT_OF_AREA',
      otherReasonForExit: 'MOVED_OUT_OF_AREA',
      detectedOn: today(),
      daysFromLastQualifyingContactToDetection: 30,
    });
    expect(report.totals).toMatchObject({
      exits: 2,
      byProgram: { WIOA_ADULT: 2 },
      byCareerCenter: { 'cc-1': 2 },
    });
    expect(report.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(res.headers['report-digest']).toBe(report.digest);
    // Case ids only: no customer id, no name anywhere in the bytes.
    expect(res.text).not.toMatch(/Lovelace|Ada|cust-/);
  });

  it('the same atPosition request after more appends returns the same digest and bytes (JSON and CSV)', async () => {
    const first = await reportWith(2);
    const { position, digest } = first.body as ExitReportBody;
    const csvFirst = await get(exitsQuery(`&atPosition=${position}&format=csv`));
    expect(csvFirst.headers['content-type']).toMatch(/^text\/csv/);
    expect(csvFirst.headers['report-digest']).toBe(digest);
    expect(csvFirst.text.split('\r\n')[0]).toBe(
      'caseId,exitDate,program,careerCenterId,localAreaId,exitType,closureReason,otherReasonForExit,detectedOn,daysFromLastQualifyingContactToDetection',
    );
    // More history: a contact on a served case and a new exit.
    await contact(ids.gap50, 1);
    const late = await openCase({ openedOn: daysAgo(20) });
    await contact(late, 10);
    await closeMoved(late);
    const now = await reportWith(3);
    expect((now.body as ExitReportBody).digest).not.toBe(digest);
    expect((now.body as ExitReportBody).exits.map((e) => e.caseId)).toContain(late);
    const again = await get(exitsQuery(`&atPosition=${position}`));
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    const csvAgain = await request(api.server)
      .get(exitsQuery(`&atPosition=${position}`))
      .set('Authorization', `Bearer ${auditor}`)
      .set('Accept', 'text/csv');
    expect(csvAgain.text).toBe(csvFirst.text);
    expect(csvAgain.headers['report-position']).toBe(position);
    ids.late = late;
  });

  it('a what-if with the area’s own terms reports zero differences, and its exits are the report’s', async () => {
    const report = (await reportWith(3)).body as ExitReportBody;
    const res = await post(
      '/api/v1/reports/what-if',
      { policyOverrides: { policyId: 'MO-DWD-01-02' }, from, to, atPosition: report.position },
      auditor,
    );
    expect(res.status).toBe(200);
    const body = res.body as WhatIfBody;
    expect(body.position).toBe(report.position);
    expect(body.differences).toEqual([]);
    expect(body.totals.casesWithDifferences).toBe(0);
    expect(body.totals.exits.asRecorded).toBe(report.totals.exits);
    expect(body.totals.exits.whatIf).toBe(report.totals.exits);
    expect(body.totals.cases).toBe(Object.keys(ids).length);
  });

  it('a 60-day soft exit reports exactly the hand-computed cases (R8, R17: dated at the last qualifying contact)', async () => {
    const report = (await reportWith(3)).body as ExitReportBody;
    const res = await post(
      '/api/v1/reports/what-if',
      { policyOverrides: { softExitAfterDays: 60 }, from, to, atPosition: report.position },
      auditor,
    );
    expect(res.status).toBe(200);
    const body = res.body as WhatIfBody;
    // gap70: 85 days ago + 60 passed before the contact 15 days ago, which a
    // soft-exited case would have refused. quiet/other: 70 days since opening.
    // gap50 (gaps of 5, 50, 20, 4), exited, closed and late: the same as recorded.
    const expected = [
      { caseId: ids.gap70, exitDate: daysAgo(85) },
      { caseId: ids.quiet, exitDate: daysAgo(70) },
      { caseId: ids.other, exitDate: daysAgo(70) },
    ].sort((a, b) => (a.caseId < b.caseId ? -1 : 1));
    expect(
      body.differences.map((d) => ({ caseId: d.caseId, exitDate: d.whatIf.exitDate })),
    ).toEqual(expected);
    for (const d of body.differences) {
      expect(d.differs).toEqual(['exit']);
      expect(d.asRecorded).toMatchObject({ exited: false, exitDate: null });
      expect(d.whatIf.exitInPeriod).toBe(d.whatIf.exitDate);
    }
    expect(body.totals).toMatchObject({
      casesWithDifferences: 3,
      exits: { asRecorded: 3, whatIf: 6 },
    });
    // Nothing was written: the same report at the store's end still has its digest.
    const after = (await get(exitsQuery())).body as ExitReportBody;
    expect(after.position).toBe(report.position);
    expect(after.digest).toBe(report.digest);
  });

  it('refuses bad requests with problem+json 400 naming the field', async () => {
    const head = ((await get(exitsQuery())).body as ExitReportBody).position;
    const [commit] = head.split('/');
    const cases: Array<[string, string]> = [
      [`/api/v1/reports/exits?from=2026-02-30&to=${to}`, 'from'],
      [`/api/v1/reports/exits?to=${to}`, 'from'],
      [`/api/v1/reports/exits?from=${to}&to=${from}`, 'from'],
      [exitsQuery('&atPosition=yesterday'), 'atPosition'],
      [exitsQuery(`&atPosition=${BigInt(commit) + 1000n}/0`), 'atPosition'],
      [exitsQuery('&program=ROCKETRY'), 'program'],
      [exitsQuery('&format=xml'), 'format'],
      [exitsQuery('&colour=blue'), 'colour'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(
        (res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field),
      ).toContain(field);
    }
    const bodies: Array<[Body, string]> = [
      [
        { policyOverrides: { softExitAfterDays: 0 }, from, to },
        'policyOverrides.softExitAfterDays',
      ],
      [
        { policyOverrides: { softExitAfterDays: 60, contactIntervalDays: 61 }, from, to },
        'policyOverrides.contactIntervalDays',
      ],
      [{ policyOverrides: { policyId: 'NOWHERE' }, from, to }, 'policyOverrides.policyId'],
      [
        { policyOverrides: { lateEntryAfterSoftExit: 'MAYBE' }, from, to },
        'policyOverrides.lateEntryAfterSoftExit',
      ],
      [{ from, to }, 'policyOverrides'],
      [{ policyOverrides: {}, from: to, to: from }, 'from'],
    ];
    for (const [body, field] of bodies) {
      const res = await post('/api/v1/reports/what-if', body, auditor);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(
        (res.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field),
      ).toContain(field);
    }
  });

  it('R13: staff report on their own and cleared centers only; another center is a 403', async () => {
    const mine = (await reportWith(3, cm)).body as ExitReportBody;
    expect(mine.exits.every((e) => e.careerCenterId === 'cc-1')).toBe(true);
    const theirs = (await get(exitsQuery(), cm2)).body as ExitReportBody;
    expect(theirs.exits).toEqual([]);
    expect(theirs.digest).not.toBe(mine.digest);
    const refused = await get(exitsQuery('&careerCenterId=cc-2'), cm);
    expect(refused.status).toBe(403);
    expect((refused.body as Body).type).toBe('https://caseledger.dev/problems/R13');
    const whatIf = (
      await post(
        '/api/v1/reports/what-if',
        { policyOverrides: { softExitAfterDays: 60 }, from, to },
        sup,
      )
    ).body as WhatIfBody;
    expect(whatIf.differences.map((d) => d.caseId)).not.toContain(ids.other);
    expect(whatIf.differences.map((d) => d.caseId)).toContain(ids.gap70);
    const cc2 = (
      await post(
        '/api/v1/reports/what-if',
        { policyOverrides: { softExitAfterDays: 60 }, from, to },
        cm2,
      )
    ).body as WhatIfBody;
    expect(cc2.differences.map((d) => d.caseId)).toEqual([ids.other]);
    expect(
      (
        await post(
          '/api/v1/reports/what-if',
          { policyOverrides: {}, from, to, careerCenterId: 'cc-1' },
          cm2,
        )
      ).status,
    ).toBe(403);
  });

  it('a saved cohort reproduces its digest at its position and shows what changed since', async () => {
    expect((await post('/api/v1/reports/cohorts', { from, to }, auditor)).status).toBe(403);
    const saved = await ok(await post('/api/v1/reports/cohorts', { from, to }, sup), 201);
    const cohort = saved.cohort as {
      cohortId: string;
      digest: string;
      position: string;
      scope: string[];
    };
    expect(cohort.scope).toEqual(['cc-1']);
    const report = (await get(exitsQuery(`&atPosition=${cohort.position}`), sup))
      .body as ExitReportBody;
    expect(report.digest).toBe(cohort.digest);
    const list = (await ok(await get('/api/v1/reports/cohorts', sup))) as {
      cohorts: Array<{ cohortId: string }>;
    };
    expect(list.cohorts.map((c) => c.cohortId)).toContain(cohort.cohortId);
    // Since: one more exit.
    const later = await openCase({ openedOn: daysAgo(15) });
    await contact(later, 12);
    await closeMoved(later);
    let reproduced: Body = {};
    for (let attempt = 0; attempt < 1200; attempt += 1) {
      reproduced = await ok(await get(`/api/v1/reports/cohorts/${cohort.cohortId}`, auditor));
      if ((reproduced.changes as { added: unknown[] }).added.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(reproduced.reproduced).toEqual({
      position: cohort.position,
      digest: cohort.digest,
      matches: true,
    });
    expect((reproduced.current as { digest: string }).digest).not.toBe(cohort.digest);
    expect(reproduced.changes).toMatchObject({
      added: [expect.objectContaining({ caseId: later, exitDate: daysAgo(12) })],
      removed: [],
      changed: [],
    });
    expect((await get(`/api/v1/reports/cohorts/${cohort.cohortId}`, cm2)).status).toBe(403);
    expect((await get(`/api/v1/reports/cohorts/${randomUUID()}`, auditor)).status).toBe(404);
  });
});
