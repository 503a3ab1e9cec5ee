import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@caseledger/event-store';
import { EVENT_STORE } from '@caseledger/platform';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface Found {
  caseId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  program: string;
  status: string;
  personalDataDisposed: boolean;
}
interface FoundPage {
  cases: Found[];
  total: number;
  freshness: { position: string };
}

/**
 * DESIGN.md "Additions", finding cases: GET /api/v1/cases and
 * /api/v1/customers/{id}/cases from the case-search read model (the all-in-one
 * app keeps it), R13-scoped, and one ACTIVE case per customer and program.
 */
describe('finding cases and the duplicate-open refusal (all-in-one app)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;
  let cm: string;
  let sup: string;
  let otherCm: string;
  const run = randomUUID().slice(0, 6);
  const zoeCustomer = `cust-zoe-${run}`;

  beforeAll(async () => {
    harness = await startAllInOne('findcases');
    server = harness.server;
    cm = await tokenFor({ role: 'case_manager', center: 'cc-fc', sub: 'staff-cm-fc' });
    sup = await tokenFor({ role: 'supervisor', center: 'cc-fc', sub: 'staff-sup-fc' });
    otherCm = await tokenFor({ role: 'case_manager', center: 'cc-elsewhere' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const get = (path: string, token = cm) =>
    request(server).get(path).set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: object, token = cm) =>
    request(server).post(path).set('Authorization', `Bearer ${token}`).send(body);
  const open = (overrides: Record<string, unknown>) =>
    openCaseBody({ careerCenterId: 'cc-fc', caseManagerId: 'staff-cm-fc', ...overrides });

  async function eventually(path: string, accept: (page: FoundPage) => boolean, token = cm) {
    let page: FoundPage = { cases: [], total: 0, freshness: { position: '' } };
    for (let attempt = 0; attempt < 400; attempt++) {
      const res = await get(path, token);
      expect(res.status).toBe(200);
      page = res.body as FoundPage;
      if (accept(page)) return page;
      await new Promise((r) => setTimeout(r, 50));
    }
    return page;
  }
  const ids = (page: FoundPage) => page.cases.map((c) => c.caseId);

  let zoeAdult = '';
  let zoeVeteran = '';
  let zobel = '';

  it('finds by first or last name prefix, ignoring case and accents', async () => {
    const a = open({ customer: { id: zoeCustomer, firstName: 'Zoë', lastName: `Ćelik${run}` } });
    const v = open({
      customer: { id: zoeCustomer, firstName: 'Zoë', lastName: `Ćelik${run}` },
      program: 'VETERAN',
    });
    const z = open({ customer: { id: `cust-zb-${run}`, firstName: 'Adam', lastName: 'Zobel' } });
    for (const body of [a, v, z]) expect((await post('/api/v1/cases', body)).status).toBe(201);
    zoeAdult = a.caseId as string;
    zoeVeteran = v.caseId as string;
    zobel = z.caseId as string;

    const byPrefix = await eventually(`/api/v1/cases?name=zo&careerCenterId=cc-fc`, (p) =>
      [zoeAdult, zoeVeteran, zobel].every((id) => ids(p).includes(id)),
    );
    expect(ids(byPrefix)).toEqual(expect.arrayContaining([zoeAdult, zoeVeteran, zobel]));
    expect(byPrefix.freshness.position).toMatch(/^\d+\/\d+$/);
    // Accents and case do not matter, in the query or the stored name.
    const byAccentless = (await get(`/api/v1/cases?name=CELIK${run}`)).body as FoundPage;
    expect(ids(byAccentless).sort()).toEqual([zoeAdult, zoeVeteran].sort());
    const byLastName = (await get(`/api/v1/cases?name=zobe`)).body as FoundPage;
    expect(ids(byLastName)).toEqual([zobel]);
    // A prefix, not a substring.
    expect(ids((await get(`/api/v1/cases?name=elik${run}`)).body as FoundPage)).toEqual([]);
    // Combined filters.
    const veteranOnly = (
      await get(`/api/v1/cases?customerId=${zoeCustomer}&program=VETERAN&status=ACTIVE`)
    ).body as FoundPage;
    expect(ids(veteranOnly)).toEqual([zoeVeteran]);
    const byManager = (await get(`/api/v1/cases?caseManagerId=staff-cm-fc&name=adam`))
      .body as FoundPage;
    expect(ids(byManager)).toEqual([zobel]);
  });

  it("lists a customer's cases in every program", async () => {
    const res = await get(`/api/v1/customers/${zoeCustomer}/cases`);
    expect(res.status).toBe(200);
    const body = res.body as FoundPage & { customerId: string };
    expect(body.customerId).toBe(zoeCustomer);
    expect(body.total).toBe(2);
    expect(body.cases.map((c) => c.program).sort()).toEqual(['VETERAN', 'WIOA_ADULT']);
    expect(body.cases[0]).toMatchObject({ firstName: 'Zoë', status: 'ACTIVE' });
    const none = await get(`/api/v1/customers/cust-nobody-${run}/cases`);
    expect(none.status).toBe(200);
    expect((none.body as FoundPage).cases).toEqual([]);
    const bad = await get(`/api/v1/customers/${encodeURIComponent('no spaces')}/cases`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('R13: staff of another center find none of these cases, and naming this center is 403', async () => {
    const theirs = await get(`/api/v1/cases?name=zo`, otherCm);
    expect(theirs.status).toBe(200);
    expect(ids(theirs.body as FoundPage)).not.toContain(zoeAdult);
    const customer = await get(`/api/v1/customers/${zoeCustomer}/cases`, otherCm);
    expect((customer.body as FoundPage).cases).toEqual([]);
    const refused = await get(`/api/v1/cases?careerCenterId=cc-fc`, otherCm);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const invalid = await get(`/api/v1/cases?status=OPENISH`);
    expect(invalid.status).toBe(400);
  });

  it('a second ACTIVE case in the same program is 409 naming the existing case, and appends nothing', async () => {
    const again = open({
      customer: { id: zoeCustomer, firstName: 'Zoë', lastName: `Ćelik${run}` },
    });
    const refused = await post('/api/v1/cases', again);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: 'https://caseledger.dev/problems/duplicate-case',
      status: 409,
      existingCaseId: zoeAdult,
    });
    expect((await get(`/api/v1/cases/${again.caseId as string}`)).status).toBe(404);

    // allowDuplicate needs its reason, and the reason is recorded in CaseOpened.
    const noReason = await post('/api/v1/cases', { ...again, allowDuplicate: true });
    expect(noReason.status).toBe(400);
    expect((noReason.body as { errors: Array<{ field: string }> }).errors[0]?.field).toBe(
      'duplicateReason',
    );
    const allowed = await post('/api/v1/cases', {
      ...again,
      allowDuplicate: true,
      duplicateReason: 'Second enrollment under a separate grant',
    });
    expect(allowed.status).toBe(201);
    const history = await get(`/api/v1/cases/${again.caseId as string}/history`);
    expect(
      (history.body as { events: Array<{ type: string; data: { duplicateReason?: string } }> })
        .events[0],
    ).toMatchObject({
      type: 'CaseOpened',
      data: { duplicateReason: 'Second enrollment under a separate grant' },
    });
  });

  it('two (or eight) identical POSTs at once open exactly one case: the claim does not wait for the read model', async () => {
    const customer = { id: `cust-race-${run}`, firstName: 'Rita', lastName: 'Race' };
    const { caseId: _omitted, ...body } = open({ customer });
    const answers = await Promise.all(Array.from({ length: 8 }, () => post('/api/v1/cases', body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const opened = (answers.find((a) => a.status === 201)?.body as { caseId: string }).caseId;
    for (const refusal of answers.filter((a) => a.status === 409))
      expect((refusal.body as { existingCaseId: string }).existingCaseId).toBe(opened);
    const cases = await eventually(`/api/v1/customers/${customer.id}/cases`, (p) => p.total >= 1);
    expect(ids(cases)).toEqual([opened]);
  });

  it('once the case is closed (R14/R16), the customer may be opened again in that program', async () => {
    const customer = { id: `cust-reopen-${run}`, firstName: 'Olga', lastName: 'Again' };
    const first = open({ customer });
    expect((await post('/api/v1/cases', first)).status).toBe(201);
    const caseId = first.caseId as string;
    expect(
      (
        await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Moved out of state, asked to stop services.',
        })
      ).status,
    ).toBe(200);
    expect((await post('/api/v1/cases/' + caseId + '/suspension/approve', {}, sup)).status).toBe(
      200,
    );
    const second = open({ customer });
    const reopened = await post('/api/v1/cases', second);
    expect(reopened.status).toBe(201);
    const third = await post('/api/v1/cases', open({ customer }));
    expect(third.status).toBe(409);
    expect((third.body as { existingCaseId: string }).existingCaseId).toBe(second.caseId);
  });

  it('records retention: after PersonalDataDisposed the names are blank and no longer found by name', async () => {
    const customer = { id: `cust-gone-${run}`, firstName: 'Gwendolyn', lastName: `Gone${run}` };
    const body = open({ customer });
    const caseId = body.caseId as string;
    expect((await post('/api/v1/cases', body)).status).toBe(201);
    await eventually(`/api/v1/cases?name=gwendolyn`, (p) => ids(p).includes(caseId));
    // Appended directly, as the retention contract shapes it.
    const store = harness?.app.get<EventStore>(EVENT_STORE);
    await store?.append(
      `case-${caseId}`,
      [
        {
          eventId: randomUUID(),
          type: 'PersonalDataDisposed',
          data: {
            caseId,
            customerId: customer.id,
            disposedOn: '2029-01-15',
            reason: 'retention period over',
            retentionRule: 'PERSONAL_DATA_RETENTION_DAYS',
          },
          metadata: {
            commandId: randomUUID(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: { staffId: 'admin-1', role: 'admin', careerCenterId: 'cc-fc' },
            schemaVersion: 1,
          },
        },
      ],
      'any',
    );
    const blanked = await eventually(`/api/v1/customers/${customer.id}/cases`, (p) =>
      p.cases.some((c) => c.personalDataDisposed),
    );
    expect(blanked.cases).toEqual([
      expect.objectContaining({ caseId, firstName: '', lastName: '', personalDataDisposed: true }),
    ]);
    expect(ids((await get(`/api/v1/cases?name=gwendolyn`)).body as FoundPage)).toEqual([]);
    expect(ids((await get(`/api/v1/cases?name=gone${run}`)).body as FoundPage)).toEqual([]);
  });
});
