import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface Row {
  caseId: string;
  status: string;
  nextDueOn: string | null;
  contactOverdue: boolean;
  followUpDue: boolean;
  ticklers: string[];
  suspensionPending: boolean;
  suspendedSince: string | null;
  suspension?: {
    reason: string;
    details: string;
    suspendedOn: string;
    suspendedBy: string | null;
  };
}
interface Page {
  cases: Row[];
  total: number;
}
interface Size {
  caseManagerId: string;
  open: number;
  active: number;
  softExited: number;
  suspensionPending: number;
  contactOverdue: number;
  followUpDue: number;
}

/**
 * DESIGN.md "Worklists" on the all-in-one app (projections and deadline jobs
 * running): the caseload filters status, overdue, dueWithinDays and tickler,
 * nearest deadline first; the suspension review queue with who asked and why;
 * caseload size per case manager.
 */
describe('worklists (all-in-one app)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;
  let cm: string;
  let sup: string;
  const manager = `staff-wl-${randomUUID().slice(0, 6)}`;
  const center = 'cc-wl';
  const caseload = `/api/v1/caseloads/${manager}`;
  const cases: Record<'overdue' | 'far' | 'soon' | 'exited' | 'suspended', string> = {
    overdue: '',
    far: '',
    soon: '',
    exited: '',
    suspended: '',
  };

  beforeAll(async () => {
    harness = await startAllInOne('worklists');
    server = harness.server;
    cm = await tokenFor({ role: 'case_manager', center, sub: manager });
    sup = await tokenFor({ role: 'supervisor', center, sub: 'staff-sup-wl' });
    const open = async (overrides: Record<string, unknown>) => {
      const body = openCaseBody({ careerCenterId: center, caseManagerId: manager, ...overrides });
      const res = await post('/api/v1/cases', body);
      expect(res.status).toBe(201);
      return body.caseId as string;
    };
    // MA: 60-day contact standard (R9), so contact is overdue 15 days before the soft exit.
    cases.overdue = await open({ localAreaId: 'MA-DEFAULT', openedOn: daysAgo(75) });
    cases.far = await open({ openedOn: daysAgo(30) });
    cases.soon = await open({ openedOn: daysAgo(85) });
    // R17/R20: a youth past 90 days soft-exits by itself; a follow-up is owed 90 days on.
    cases.exited = await open({ program: 'WIOA_YOUTH', openedOn: daysAgo(100) });
    cases.suspended = await open({ openedOn: daysAgo(20) });
    expect(
      (
        await post(
          `/api/v1/cases/${cases.suspended}/enrollments`,
          enrollmentBody({ startDate: daysAgo(20) }),
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(`/api/v1/cases/${cases.suspended}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Asked by phone to stop services.',
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const get = (path: string, token = cm) =>
    request(server).get(path).set('Authorization', `Bearer ${token}`);
  function post(path: string, body: object, token = cm) {
    return request(server).post(path).set('Authorization', `Bearer ${token}`).send(body);
  }

  async function eventually<T>(path: string, accept: (body: T) => boolean, token = cm) {
    let body: T | undefined;
    for (let attempt = 0; attempt < 600; attempt++) {
      const res = await get(path, token);
      expect(res.status).toBe(200);
      body = res.body as T;
      if (accept(body)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
    return body as T;
  }
  const idsOf = (page: Page) => page.cases.map((c) => c.caseId);

  it('the caseload lists every case, nearest deadline first (the exited youth once soft-exited)', async () => {
    const page = await eventually<Page>(
      caseload,
      (p) =>
        p.total === 5 &&
        p.cases.some((c) => c.caseId === cases.exited && c.status === 'SOFT_EXITED'),
    );
    const dues = page.cases.map((c) => c.nextDueOn ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
    const order = idsOf(page).filter((id) => [cases.overdue, cases.soon, cases.far].includes(id));
    expect(order).toEqual([cases.overdue, cases.soon, cases.far]);
  });

  it('overdue=true lists only the R9 contact-overdue case; overdue=false the others', async () => {
    const overdue = await eventually<Page>(`${caseload}?overdue=true`, (p) => p.total >= 1);
    expect(idsOf(overdue)).toEqual([cases.overdue]);
    expect(overdue.cases[0]).toMatchObject({ contactOverdue: true, ticklers: ['CONTACT_DUE'] });
    const others = (await get(`${caseload}?overdue=false`)).body as Page;
    expect(idsOf(others)).not.toContain(cases.overdue);
    expect(others.total).toBe(4);
  });

  it('dueWithinDays=7 lists the cases whose nearest deadline is within a week (past ones included)', async () => {
    const page = (await get(`${caseload}?dueWithinDays=7`)).body as Page;
    expect(idsOf(page)).toEqual(expect.arrayContaining([cases.overdue, cases.soon]));
    expect(idsOf(page)).not.toContain(cases.far);
    const wide = (await get(`${caseload}?dueWithinDays=90`)).body as Page;
    expect(idsOf(wide)).toContain(cases.far);
    expect((await get(`${caseload}?dueWithinDays=-1`)).status).toBe(400);
  });

  it('tickler=CONTACT_DUE and tickler=FOLLOW_UP_DUE (R9, R20) each list their case', async () => {
    const contact = (await get(`${caseload}?tickler=CONTACT_DUE`)).body as Page;
    expect(idsOf(contact)).toEqual([cases.overdue]);
    const followUp = await eventually<Page>(`${caseload}?tickler=FOLLOW_UP_DUE`, (p) =>
      idsOf(p).includes(cases.exited),
    );
    expect(idsOf(followUp)).toEqual([cases.exited]);
    expect(followUp.cases[0]).toMatchObject({ followUpDue: true, status: 'SOFT_EXITED' });
    expect((await get(`${caseload}?tickler=SOMETIME`)).status).toBe(400);
  });

  it('status= filters ACTIVE, SOFT_EXITED and SUSPENDED (a pending suspension beside ACTIVE)', async () => {
    const active = (await get(`${caseload}?status=ACTIVE`)).body as Page;
    expect(idsOf(active).sort()).toEqual(
      [cases.overdue, cases.far, cases.soon, cases.suspended].sort(),
    );
    const exited = (await get(`${caseload}?status=SOFT_EXITED`)).body as Page;
    expect(idsOf(exited)).toEqual([cases.exited]);
    const suspended = await eventually<Page>(`${caseload}?status=SUSPENDED`, (p) => p.total === 1);
    expect(idsOf(suspended)).toEqual([cases.suspended]);
    expect(suspended.cases[0]).toMatchObject({ status: 'ACTIVE', suspensionPending: true });
  });

  it('the suspension review queue: oldest first, with who asked for the closure and why (R16 v2)', async () => {
    const queue = await eventually<Page>(
      `/api/v1/suspensions?careerCenterId=${center}`,
      (p) => idsOf(p).includes(cases.suspended),
      sup,
    );
    expect(queue.cases.find((c) => c.caseId === cases.suspended)).toMatchObject({
      suspensionPending: true,
      suspension: {
        reason: 'CUSTOMER_WITHDREW',
        details: 'Asked by phone to stop services.',
        suspendedBy: manager,
      },
    });
    const since = queue.cases.map((c) => c.suspendedSince ?? '');
    expect(since).toEqual([...since].sort());
    expect((await get('/api/v1/suspensions')).status).toBe(403); // R16: not for case managers
    const elsewhere = await tokenFor({ role: 'supervisor', center: 'cc-elsewhere' });
    expect((await get(`/api/v1/suspensions?careerCenterId=${center}`, elsewhere)).status).toBe(403);
  });

  it('caseload size per case manager, for supervisors (R13-scoped)', async () => {
    const body = await eventually<{ caseManagers: Size[] }>(
      `/api/v1/caseload-sizes?careerCenterId=${center}`,
      (b) => {
        const mine = b.caseManagers.find((s) => s.caseManagerId === manager);
        return mine?.softExited === 1 && mine.followUpDue === 1;
      },
      sup,
    );
    expect(body.caseManagers.find((s) => s.caseManagerId === manager)).toEqual({
      caseManagerId: manager,
      open: 5,
      active: 4,
      softExited: 1,
      suspensionPending: 1,
      contactOverdue: 1,
      followUpDue: 1,
    });
    expect((await get(`/api/v1/caseload-sizes`)).status).toBe(403);
    const elsewhere = await tokenFor({ role: 'supervisor', center: 'cc-elsewhere' });
    const theirs = (await get('/api/v1/caseload-sizes', elsewhere)).body as {
      caseManagers: Size[];
    };
    expect(theirs.caseManagers.map((s) => s.caseManagerId)).not.toContain(manager);
  });
});
