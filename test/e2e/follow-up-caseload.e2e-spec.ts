import request from 'supertest';
import { addDays } from '@caseledger/domain';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface Row {
  caseId: string;
  status: string;
  exitDate: string | null;
  closedOn: string | null;
  followUpDueOn: string | null;
  followUpDue: boolean;
  ticklers: string[];
  suspensionPending: boolean;
}
interface Page {
  cases: Row[];
}

/**
 * R17 v2 and R20 as a case manager sees them in the worklist (the all-in-one
 * app: API, projections and deadline jobs): a youth case soft-exits by itself,
 * stays listed as SOFT_EXITED with its exit date, and its FOLLOW_UP_DUE tickler
 * shows (and filters) in the caseload; a pending suspension shows beside the
 * status.
 */
describe('follow-up and the v2 status model in caseloads (all-in-one app)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;
  let cm: string;

  beforeAll(async () => {
    harness = await startAllInOne('followup');
    server = harness.server;
    cm = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-fu' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const get = (path: string) => request(server).get(path).set('Authorization', `Bearer ${cm}`);
  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', `Bearer ${cm}`).send(body);

  async function eventually(
    path: string,
    accept: (row: Row | undefined) => boolean,
    caseId: string,
  ) {
    let row: Row | undefined;
    for (let attempt = 0; attempt < 600; attempt++) {
      const res = await get(path);
      expect(res.status).toBe(200);
      row = (res.body as Page).cases.find((c) => c.caseId === caseId);
      if (accept(row)) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
    return row;
  }

  it('R17/R20: a soft-exited youth stays listed, with its exit date and a FOLLOW_UP_DUE tickler', async () => {
    const body = openCaseBody({
      openedOn: daysAgo(100),
      program: 'WIOA_YOUTH',
      caseManagerId: 'staff-cm-fu',
    });
    const caseId = body.caseId as string;
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    const row = await eventually(
      '/api/v1/caseloads/staff-cm-fu?tickler=FOLLOW_UP_DUE',
      (r) => r?.status === 'SOFT_EXITED' && r.followUpDue,
      caseId,
    );
    expect(row).toMatchObject({
      status: 'SOFT_EXITED',
      exitDate: daysAgo(100),
      closedOn: null,
      followUpDueOn: addDays(daysAgo(100), 90),
      followUpDue: true,
      ticklers: ['FOLLOW_UP_DUE'],
    });
    const state = (await get(`/api/v1/cases/${caseId}`)).body as Record<string, unknown>;
    expect(state).toMatchObject({
      status: 'SOFT_EXITED',
      exitDate: daysAgo(100),
      followUp: { from: daysAgo(100), nextDueOn: addDays(daysAgo(100), 90) },
    });
  });

  it('R16 v2: a pending suspension shows beside an ACTIVE status, and status=SUSPENDED finds it', async () => {
    const body = openCaseBody({ openedOn: daysAgo(20), caseManagerId: 'staff-cm-fu' });
    const caseId = body.caseId as string;
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    expect(
      (
        await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ startDate: daysAgo(20) }),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Asked to stop by phone.',
        })
      ).status,
    ).toBe(200);
    const row = await eventually(
      '/api/v1/caseloads/staff-cm-fu?status=SUSPENDED',
      (r) => r?.suspensionPending === true,
      caseId,
    );
    expect(row).toMatchObject({ status: 'ACTIVE', suspensionPending: true });
    // The review queue (DESIGN.md "Worklists"): supervisors and admins, oldest first.
    const sup = await tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-fu' });
    const queue = await request(server)
      .get('/api/v1/suspensions?careerCenterId=cc-1')
      .set('Authorization', `Bearer ${sup}`);
    expect(queue.status).toBe(200);
    const listed = (queue.body as Page).cases;
    expect(listed.some((c) => c.caseId === caseId)).toBe(true);
    expect(listed.every((c) => c.suspensionPending)).toBe(true);
    const asCm = await get('/api/v1/suspensions');
    expect(asCm.status).toBe(403);
    expect((asCm.body as { type: string }).type).toBe('https://caseledger.dev/problems/R16');
  });
});
