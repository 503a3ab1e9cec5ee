import request from 'supertest';
import { addDays } from '@caseledger/domain';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface Explained {
  status: string;
  policy: { policyId: string; terms: Record<string, number>; setBy: { type: string } };
  lastQualifyingContact: { date: string; event: { eventId: string } } | null;
  deadlines: {
    kind: string;
    dueOn: string;
    ruleIds: string[];
    countsFrom: { date: string; what: string };
    gapsCounted: { gapId: string; daysCounted: number; event: { eventId: string } }[];
    restsOn: { eventId: string; type: string }[];
    sentence: string;
  }[];
  notCounted: { ruleId: string; why: string; event: { type: string } }[];
  closure: { ruleIds: string[]; sentence: string; details: { approvedBy: string } } | null;
  sentences: string[];
}

/**
 * `GET /api/v1/cases/{id}/explain` (DESIGN.md "Additions": why the case stands
 * where it does: each deadline and exit with its rule, policy and causing
 * events, as data and plain sentences), now and `asOf` an earlier instant.
 */
describe('explain a case (PostgreSQL)', () => {
  let harness: ApiHarness;
  let server: Server;
  let cm: string;
  let sup: string;
  let auditor: string;
  let other: string;
  const body = openCaseBody({ openedOn: daysAgo(40) });
  const caseId = body.caseId as string;
  let beforeContact: string;
  const explain = async (token: string, query = ''): Promise<Explained> => {
    const res = await request(server)
      .get(`/api/v1/cases/${caseId}/explain${query}`)
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    return res.body as Explained;
  };

  beforeAll(async () => {
    harness = await startApi('postgres');
    server = harness.server;
    [cm, sup, auditor, other] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
      tokenFor({ role: 'auditor', center: 'cc-audit', sub: 'staff-auditor' }),
      tokenFor({ role: 'case_manager', center: 'cc-9', sub: 'staff-cm-9' }),
    ]);
    const post = (path: string, payload: Record<string, unknown>, token = cm) =>
      request(server)
        .post(`/api/v1/cases/${caseId}${path}`)
        .set('Authorization', `Bearer ${token}`)
        .send(payload);
    await request(server)
      .post('/api/v1/cases')
      .set('Authorization', `Bearer ${cm}`)
      .send(body)
      .expect(201);
    await post('/enrollments', enrollmentBody({ startDate: daysAgo(40) })).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 20));
    beforeContact = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await post('/contacts', contactBody({ occurredOn: daysAgo(20) })).expect(201);
    await post(
      '/contacts',
      contactBody({
        method: 'TELEPHONE',
        outcome: 'NO_ANSWER',
        occurredOn: daysAgo(15),
        progress: 'Called the customer, no answer on the mobile line.',
        justification: 'Will try again on Monday morning before training.',
      }),
    ).expect(201);
    await post('/planned-gaps', {
      startDate: daysAgo(6),
      endDate: daysAgo(1),
      reason: 'HEALTH',
    }).expect(201);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('each deadline with its rule ids, the policy terms and the events it rests on, as data and sentences', async () => {
    const e = await explain(auditor);
    expect(e.status).toBe('ACTIVE');
    expect(e.policy.setBy.type).toBe('CaseOpened');
    expect(e.policy.terms.softExitWindowDays).toBe(90);
    expect(e.lastQualifyingContact?.date).toBe(daysAgo(20));
    const softExit = e.deadlines.find((d) => d.kind === 'softExitDueOn')!;
    // 90 days after the contact, plus the 6 gap days inside the window (R10).
    expect(softExit.dueOn).toBe(addDays(daysAgo(20), 96));
    expect(softExit.ruleIds).toEqual(['R8', 'R10', 'R17']);
    expect(softExit.countsFrom).toEqual({ date: daysAgo(20), what: 'LAST_QUALIFYING_CONTACT' });
    expect(softExit.gapsCounted).toHaveLength(1);
    expect(softExit.gapsCounted[0].daysCounted).toBe(6);
    expect(softExit.restsOn.map((r) => r.type)).toEqual(['ContactRecorded', 'PlannedGapScheduled']);
    expect(softExit.restsOn[0].eventId).toBe(e.lastQualifyingContact!.event.eventId);
    expect(softExit.sentence).toContain(`by ${softExit.dueOn}`);
    expect(softExit.sentence).toContain('do not count (R10)');
    const contactDue = e.deadlines.find((d) => d.kind === 'contactDueOn')!;
    expect(contactDue.ruleIds[0]).toBe('R9');
    expect(e.notCounted).toEqual([
      expect.objectContaining({
        ruleId: 'R5',
        event: expect.objectContaining({ type: 'ContactAttempted' }),
      }),
    ]);
    expect(e.sentences.join(' ')).toContain('did not count: a telephone call with no answer');
  });

  it('asOf an instant before the contact: the clock counted from the opening', async () => {
    const e = await explain(auditor, `?asOf=${encodeURIComponent(beforeContact)}`);
    expect(e.lastQualifyingContact).toBeNull();
    const softExit = e.deadlines.find((d) => d.kind === 'softExitDueOn')!;
    expect(softExit.countsFrom).toEqual({ date: daysAgo(40), what: 'OPENED' });
    expect(softExit.dueOn).toBe(addDays(daysAgo(40), 90));
    expect(softExit.restsOn.map((r) => r.type)).toEqual(['CaseOpened']);
    expect(e.notCounted).toEqual([]);
  });

  it('a closure names its rules, its approver and the suspension it rests on', async () => {
    await request(server)
      .post(`/api/v1/cases/${caseId}/suspend`)
      .set('Authorization', `Bearer ${cm}`)
      .send({ reason: 'CUSTOMER_WITHDREW', details: 'The customer moved on to a family business.' })
      .expect(200);
    await request(server)
      .post(`/api/v1/cases/${caseId}/suspension/approve`)
      .set('Authorization', `Bearer ${sup}`)
      .send({ note: 'Confirmed by phone.' })
      .expect(200);
    const e = await explain(cm);
    expect(e.status).toBe('CLOSED');
    expect(e.closure?.ruleIds).toEqual(expect.arrayContaining(['R14', 'R16']));
    expect(e.closure?.details.approvedBy).toBe('staff-sup-1');
    expect(e.closure?.sentence).toContain('CUSTOMER_WITHDREW');
  });

  it('R13 and bad input: another center is refused, a malformed asOf is a 400, an unknown case a 404', async () => {
    await request(server)
      .get(`/api/v1/cases/${caseId}/explain`)
      .set('Authorization', `Bearer ${other}`)
      .expect(403);
    const bad = await request(server)
      .get(`/api/v1/cases/${caseId}/explain?asOf=soon`)
      .set('Authorization', `Bearer ${auditor}`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    await request(server)
      .get('/api/v1/cases/00000000-0000-4000-8000-000000000000/explain')
      .set('Authorization', `Bearer ${auditor}`)
      .expect(404);
    await request(server)
      .get(`/api/v1/cases/${caseId}/explain?asOf=2000-01-01`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(404);
  });

  it('the explanation read is an access record', async () => {
    const res = await request(server)
      .get(`/api/v1/audit/access?caseId=${caseId}`)
      .set('Authorization', `Bearer ${auditor}`)
      .expect(200);
    const routes = (res.body as { records: { route: string; staffId: string }[] }).records.map(
      (r) => `${r.staffId} ${r.route}`,
    );
    expect(routes).toContain('staff-cm-1 GET /api/v1/cases/:caseId/explain');
    expect(routes).not.toContain('staff-cm-9 GET /api/v1/cases/:caseId/explain');
  });
});
