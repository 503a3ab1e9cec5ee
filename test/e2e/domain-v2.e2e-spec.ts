import request from 'supertest';
import { addDays, businessDateAt } from '@caseledger/domain';
import { randomUUID } from 'node:crypto';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import {
  contactBody,
  daysAgo,
  enrollmentBody,
  jobBody,
  openCaseBody,
} from './support/case-requests';

type Body = Record<string, unknown>;

/**
 * The v2 domain rules over HTTP: each defect row of the v2 review driven
 * through the API and shown fixed, plus the v2 routes (corrections, gap end,
 * reversal). Every refusal is a 422 naming its rule and appends nothing.
 */
describe('domain v2 over HTTP', () => {
  let api: ApiHarness;
  let cm: string;
  let sup: string;
  let sup2: string;
  let admin: string;

  /** The API's clock runs this many days behind the real one (history entered "back then"). */
  let behindDays = 0;
  const at = (days: number) => {
    behindDays = days;
  };
  afterEach(() => at(0));

  beforeAll(async () => {
    api = await startApi('postgres', {
      clock: { now: () => new Date(Date.now() - behindDays * 86_400_000) },
    });
    [cm, sup, sup2, admin] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-2' }),
      tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body: unknown, token = cm) =>
    request(api.server)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const get = (path: string, token = cm) =>
    request(api.server).get(path).set('Authorization', `Bearer ${token}`);

  async function caseState(caseId: string): Promise<Body> {
    const res = await get(`/api/v1/cases/${caseId}`);
    expect(res.status).toBe(200);
    return res.body as Body;
  }
  async function historyTypes(caseId: string): Promise<string[]> {
    const res = await get(`/api/v1/cases/${caseId}/history`, admin);
    expect(res.status).toBe(200);
    return (res.body as { events: Array<{ type: string }> }).events.map((e) => e.type);
  }

  async function ok(res: request.Response, status = 200): Promise<Body> {
    if (res.status !== status) throw new Error(`${res.status}: ${JSON.stringify(res.body)}`);
    return Promise.resolve(res.body as Body);
  }

  /** 422 naming the rule, problem+json, and the history did not grow. */
  async function refused(
    caseId: string,
    send: () => Promise<request.Response>,
    rule: string,
    status = 422,
  ): Promise<void> {
    const before = (await historyTypes(caseId)).length;
    const res = await send();
    expect({ status: res.status, type: (res.body as Body).type }).toEqual({
      status,
      type: `https://caseledger.dev/problems/${rule}`,
    });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await historyTypes(caseId)).length).toBe(before);
  }

  async function openCase(over: Body = {}, enroll: Body | null = {}): Promise<string> {
    const body = await ok(await post('/api/v1/cases', openCaseBody(over)), 201);
    const caseId = body.caseId as string;
    if (enroll !== null)
      await ok(
        await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ startDate: over.openedOn ?? daysAgo(30), ...enroll }),
        ),
        201,
      );
    return caseId;
  }
  const contact = (caseId: string, over: Body = {}, token = cm) =>
    post(`/api/v1/cases/${caseId}/contacts`, contactBody(over), token);

  it('R8/R17 (critical): past the deadline a suspension is refused (R8); only the soft exit remains', async () => {
    at(100);
    const caseId = await openCase({ openedOn: daysAgo(100) });
    at(0);
    await refused(
      caseId,
      () =>
        post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Customer says she is leaving the program.',
        }),
      'R8',
    );
    await refused(caseId, () => contact(caseId, { occurredOn: daysAgo(20) }), 'R8');
    const state = await caseState(caseId);
    expect(state).toMatchObject({ status: 'ACTIVE', softExitDueOn: daysAgo(10), suspension: null });
  });

  it('R14/R17 (critical): a closure records closedOn and the exit date (last qualifying contact) apart', async () => {
    const caseId = await openCase({ openedOn: daysAgo(40) });
    await ok(await contact(caseId, { occurredOn: daysAgo(10) }), 201);
    await ok(
      await post(`/api/v1/cases/${caseId}/suspend`, {
        reason: 'MOVED_OUT_OF_AREA',
        details: 'Moved to Kansas; verified by phone.',
      }),
    );
    await ok(await post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup));
    const state = await caseState(caseId);
    expect(state).toMatchObject({
      status: 'CLOSED',
      exitDate: daysAgo(10),
      closedOn: businessDateAt(new Date(), 'America/Chicago'),
      closureReason: 'MOVED_OUT_OF_AREA',
    });
    const history = (await get(`/api/v1/cases/${caseId}/history`, admin)).body as {
      events: Array<{ type: string; data: Body }>;
    };
    const closed = history.events.find((e) => e.type === 'CaseClosed');
    expect(closed?.data).toMatchObject({
      exitDate: daysAgo(10),
      rules: ['R14', 'R15', 'R16'],
      approvedBy: 'staff-sup-1',
      policy: { localAreaId: 'MO-DEFAULT', policyId: 'MO-DWD-01-02', version: 2 },
      exit: {
        basis: 'LAST_QUALIFYING_CONTACT',
        lastQualifyingContact: { occurredOn: daysAgo(10) },
      },
    });
    // The closure names the event ids it rests on.
    const contactEvent = history.events.find((e) => e.type === 'ContactRecorded') as unknown as {
      metadata: { eventId: string };
    };
    expect(
      (closed?.data.exit as { lastQualifyingContact: { eventId: string } }).lastQualifyingContact
        .eventId,
    ).toBe(contactEvent.metadata.eventId);
  });

  it('R16/R8 (critical): while a suspension waits, a real contact is recorded and counts; the clock runs', async () => {
    const caseId = await openCase({ openedOn: daysAgo(60) });
    await ok(
      await post(`/api/v1/cases/${caseId}/suspend`, {
        reason: 'CUSTOMER_WITHDREW',
        details: 'Customer asked to stop.',
      }),
    );
    const suspended = await caseState(caseId);
    expect(suspended).toMatchObject({
      status: 'ACTIVE',
      softExitDueOn: addDays(daysAgo(60), 90),
      suspension: { reason: 'CUSTOMER_WITHDREW', suspendedBy: 'staff-cm-1' },
      pendingSuspension: { reason: 'CUSTOMER_WITHDREW', suspendedOn: daysAgo(0) },
    });
    const res = await ok(await contact(caseId, { occurredOn: daysAgo(2) }), 201);
    expect(res.qualifying).toBe(true);
    expect(await caseState(caseId)).toMatchObject({
      lastQualifyingContactOn: daysAgo(2),
      softExitDueOn: addDays(daysAgo(2), 90),
      suspension: { reason: 'CUSTOMER_WITHDREW' },
    });
    // A return after that leaves the same clocks.
    await ok(
      await post(
        `/api/v1/cases/${caseId}/suspension/return`,
        { requestedInformation: 'Attach her written request.' },
        sup,
      ),
    );
    expect(await caseState(caseId)).toMatchObject({
      suspension: null,
      softExitDueOn: addDays(daysAgo(2), 90),
    });
  });

  it('R19/R3 (high): after training and a job, the follow-up needs no enrollment; the employment closure completes', async () => {
    const caseId = await openCase({ openedOn: daysAgo(90) }, { startDate: daysAgo(90) });
    const enrollmentId = (
      (await caseState(caseId)).enrollments as Array<{ enrollmentId: string }>
    )[0].enrollmentId;
    await ok(await contact(caseId, { occurredOn: daysAgo(60) }), 201);
    await ok(
      await post(`/api/v1/cases/${caseId}/enrollments/${enrollmentId}/end`, {
        endDate: daysAgo(55),
        outcome: 'COMPLETED',
      }),
    );
    await ok(
      await post(`/api/v1/cases/${caseId}/employment`, { job: jobBody(), startDate: daysAgo(45) }),
      201,
    );
    const before = await caseState(caseId);
    const followUp = await ok(
      await contact(caseId, { occurredOn: daysAgo(3), followUp: true }),
      201,
    );
    expect(followUp.qualifying).toBe(false);
    const after = await caseState(caseId);
    // R17/R19 (medium): it never qualifies: neither the clock nor the exit date moves.
    expect(after.lastQualifyingContactOn).toBe(before.lastQualifyingContactOn);
    expect(after.softExitDueOn).toBe(before.softExitDueOn);
    expect((after.employment as Body).verifiedOn).toBe(daysAgo(3));
    // R19 (low): a wage fix keeps the verification.
    await ok(
      await post(`/api/v1/cases/${caseId}/employment`, {
        job: { ...jobBody(), hourlyWage: 19.25 },
        startDate: daysAgo(45),
      }),
      201,
    );
    expect(((await caseState(caseId)).employment as Body).verifiedOn).toBe(daysAgo(3));
    await ok(
      await post(`/api/v1/cases/${caseId}/suspend`, {
        reason: 'EMPLOYMENT_ATTAINED',
        details: 'Hired full time; verified with the employer.',
      }),
    );
    await ok(await post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup));
    expect(await caseState(caseId)).toMatchObject({
      status: 'CLOSED',
      closureReason: 'EMPLOYMENT_ATTAINED',
      exitDate: daysAgo(60),
    });
  });

  it('R6 (high): an in-person contact with the provider counts, customer available or not', async () => {
    const caseId = await openCase();
    const res = await ok(await contact(caseId, { party: 'PROVIDER' }), 201);
    expect(res.qualifying).toBe(true);
    await refused(caseId, () => contact(caseId, { method: 'TELEPHONE', party: 'PROVIDER' }), 'R6');
  });

  it('R18 (medium): READING/MATH need scores; an INTERESTS exemption exempts from nothing', async () => {
    const caseId = await openCase({}, null);
    for (const kind of ['READING', 'MATH'])
      await ok(
        await post(`/api/v1/cases/${caseId}/assessments`, {
          kind,
          administeredOn: daysAgo(5),
          summary: 'Administered; no score written down.',
        }),
        201,
      );
    await ok(
      await post(`/api/v1/cases/${caseId}/assessments`, {
        kind: 'INTERESTS',
        administeredOn: daysAgo(5),
        summary: 'Holland code RIA.',
        exemption: 'POST_SECONDARY_EDUCATION',
      }),
      201,
    );
    const training = () =>
      post(
        `/api/v1/cases/${caseId}/enrollments`,
        enrollmentBody({ activityType: 'TRAINING', activityName: 'CDL', startDate: daysAgo(2) }),
      );
    await refused(caseId, training, 'R18');
    for (const [kind, score] of [
      ['READING', '9.1'],
      ['MATH', '8.4'],
    ])
      await ok(
        await post(`/api/v1/cases/${caseId}/assessments`, {
          kind,
          administeredOn: daysAgo(4),
          summary: 'TABE scored.',
          score,
        }),
        201,
      );
    await ok(await training(), 201);
  });

  it('R3 (medium): ending the only enrollment back-dated before a recorded contact is refused', async () => {
    const caseId = await openCase();
    const enrollmentId = (
      (await caseState(caseId)).enrollments as Array<{ enrollmentId: string }>
    )[0].enrollmentId;
    await ok(await contact(caseId, { occurredOn: daysAgo(5) }), 201);
    const end = (endDate: string) =>
      post(`/api/v1/cases/${caseId}/enrollments/${enrollmentId}/end`, {
        endDate,
        outcome: 'WITHDREW',
      });
    await refused(caseId, () => end(daysAgo(10)), 'R3');
    await ok(await end(daysAgo(4)));
  });

  it('R16 (medium): maker-checker — the supervisor who suspended does not approve it', async () => {
    const caseId = await openCase();
    await ok(
      await post(
        `/api/v1/cases/${caseId}/suspend`,
        { reason: 'CUSTOMER_WITHDREW', details: 'Withdrew by letter.' },
        sup,
      ),
    );
    await refused(caseId, () => post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup), 'R16');
    await ok(await post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup2));
  });

  it('R10 (medium): on day 89 a gap from day 1 to day 60 is refused; a planned one is accepted and ends early', async () => {
    const caseId = await openCase({ openedOn: daysAgo(89) });
    await refused(
      caseId,
      () =>
        post(`/api/v1/cases/${caseId}/planned-gaps`, {
          startDate: daysAgo(88),
          endDate: daysAgo(29),
          reason: 'HEALTH',
        }),
      'R10',
    );
    const gap = await ok(
      await post(`/api/v1/cases/${caseId}/planned-gaps`, {
        startDate: daysAgo(0),
        endDate: addDays(daysAgo(0), 20),
        reason: 'HEALTH',
      }),
      201,
    );
    expect((await caseState(caseId)).softExitDueOn).toBe(addDays(daysAgo(89), 90 + 21));
    await ok(
      await post(`/api/v1/cases/${caseId}/planned-gaps/${String(gap.gapId)}/end`, {
        endDate: addDays(daysAgo(0), 4),
      }),
    );
    expect((await caseState(caseId)).softExitDueOn).toBe(addDays(daysAgo(89), 90 + 5));
    await refused(
      caseId,
      () =>
        post(`/api/v1/cases/${caseId}/planned-gaps/${String(gap.gapId)}/end`, {
          endDate: addDays(daysAgo(0), 30),
        }),
      'R10',
    );
  });

  it('R14 (low): NO_CONTACT_90_DAYS during an approved gap is refused', async () => {
    const caseId = await openCase({ openedOn: daysAgo(85) });
    await ok(
      await post(`/api/v1/cases/${caseId}/planned-gaps`, {
        startDate: daysAgo(3),
        endDate: addDays(daysAgo(0), 30),
        reason: 'FAMILY_CARE',
      }),
      201,
    );
    await refused(
      caseId,
      () =>
        post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'NO_CONTACT_90_DAYS',
          details: 'No contact.',
        }),
      'R14',
    );
  });

  it('R4/R6 (low): an unanswered call needs only a short note, whoever was called', async () => {
    const caseId = await openCase();
    const res = await ok(
      await contact(caseId, {
        method: 'TELEPHONE',
        outcome: 'NO_ANSWER',
        party: 'PROVIDER',
        progress: 'No answer.',
        justification: '',
      }),
      201,
    );
    expect(res.qualifying).toBe(false);
  });

  it('R2 (low): an unknown localAreaId is refused 422 R2, never a default policy', async () => {
    const res = await post('/api/v1/cases', openCaseBody({ localAreaId: 'MA-DEFALT' }));
    expect(res.status).toBe(422);
    expect((res.body as Body).type).toBe('https://caseledger.dev/problems/R2');
  });

  it('dates v2: a planned end date of 9999-12-31 is a 400, never an event', async () => {
    const caseId = await openCase();
    await refused(
      caseId,
      () =>
        post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ startDate: daysAgo(1), endDate: '9999-12-31' }),
        ),
      'validation', // the edge refuses it first (IsPlannedDate); the domain's BUSINESS_DATE check backs it up
      400,
    );
  });

  describe('R22 corrections and R21 reversal', () => {
    /** A case whose newest contact, once voided, leaves the deadline in the past. */
    async function voidedIntoSoftExit(localAreaId: string): Promise<string> {
      at(100);
      const caseId = await openCase({ openedOn: daysAgo(100), localAreaId });
      at(95);
      await ok(await contact(caseId, { occurredOn: daysAgo(95), contactId: `old-${caseId}` }), 201);
      at(6);
      await ok(await contact(caseId, { occurredOn: daysAgo(6), contactId: `new-${caseId}` }), 201);
      at(0);
      await ok(
        await post(`/api/v1/cases/${caseId}/contacts/new-${caseId}/void`, {
          reason: 'Entered on the wrong customer.',
        }),
      );
      return caseId;
    }

    it('R22: a voided qualifying contact stops counting; with the deadline past, the case soft-exits at the contact before', async () => {
      const caseId = await voidedIntoSoftExit('MO-DEFAULT');
      const state = await caseState(caseId);
      expect(state).toMatchObject({
        status: 'SOFT_EXITED',
        exitDate: daysAgo(95),
        lastQualifyingContactOn: daysAgo(95),
      });
      const types = await historyTypes(caseId);
      expect(types.slice(-2)).toEqual(['ContactVoided', 'CaseSoftExited']);
      // R17 v2: no longer served — a qualifying contact is refused, a follow-up accepted.
      await refused(caseId, () => contact(caseId, { occurredOn: daysAgo(1) }), 'R17');
      const fu = await ok(await contact(caseId, { occurredOn: daysAgo(1), followUp: true }), 201);
      expect(fu.qualifying).toBe(false);
      // R21, Missouri (REFUSE): the late entry is refused.
      await refused(
        caseId,
        () =>
          post(
            `/api/v1/cases/${caseId}/soft-exit/reverse`,
            {
              contact: contactBody({ occurredOn: daysAgo(50) }),
              justification: 'Paper file shows a visit.',
            },
            sup,
          ),
        'R21',
      );
    });

    it('R21: where the area reverses with approval, a supervisor’s late contact appends SoftExitReversed and restarts the clock', async () => {
      const caseId = await voidedIntoSoftExit('MA-DEFAULT');
      expect((await caseState(caseId)).status).toBe('SOFT_EXITED');
      const body = {
        contact: contactBody({ occurredOn: daysAgo(50) }),
        justification: 'Paper file shows a visit on that day.',
      };
      await refused(
        caseId,
        () => post(`/api/v1/cases/${caseId}/soft-exit/reverse`, body, cm),
        'R21',
        403,
      );
      await ok(await post(`/api/v1/cases/${caseId}/soft-exit/reverse`, body, sup));
      expect(await caseState(caseId)).toMatchObject({
        status: 'ACTIVE',
        exitDate: null,
        lastQualifyingContactOn: daysAgo(50),
        softExitDueOn: addDays(daysAgo(50), 90),
      });
      const types = await historyTypes(caseId);
      // The original exit stays in history; the compensating event follows it.
      expect(types.slice(-3)).toEqual(['CaseSoftExited', 'SoftExitReversed', 'ContactRecorded']);
    });

    it('R22: entries and the customer name are corrected by appended events with reason and actor', async () => {
      const caseId = await openCase();
      const barrier = await ok(
        await post(`/api/v1/cases/${caseId}/barriers`, {
          category: 'TRANSPORTATION',
          description: 'No car.',
          plan: 'Bus pas.',
          identifiedOn: daysAgo(3),
        }),
        201,
      );
      await ok(
        await post(`/api/v1/cases/${caseId}/entries/correct`, {
          entity: 'BARRIER',
          id: barrier.barrierId,
          fields: { plan: 'Monthly bus pass through support services.' },
          reason: 'Typo in the plan.',
        }),
      );
      await refused(
        caseId,
        () =>
          post(`/api/v1/cases/${caseId}/entries/correct`, {
            entity: 'BARRIER',
            id: barrier.barrierId,
            fields: { identifiedOn: daysAgo(20) },
            reason: 'Wrong date.',
          }),
        'R22',
      );
      await ok(
        await post(`/api/v1/cases/${caseId}/customer`, {
          lastName: 'Byron',
          reason: 'Name on the ID card.',
        }),
      );
      const state = await caseState(caseId);
      expect((state.customer as Body).lastName).toBe('Byron');
      expect((state.barriers as Body[])[0]).toMatchObject({
        plan: 'Monthly bus pass through support services.',
      });
      const history = (await get(`/api/v1/cases/${caseId}/history`, admin)).body as {
        events: Array<{ type: string; data: Body; metadata: { actor: { staffId: string } } }>;
      };
      const corrected = history.events.find((e) => e.type === 'EntryCorrected');
      expect(corrected?.data).toMatchObject({
        previous: { plan: 'Bus pas.' },
        reason: 'Typo in the plan.',
        correctedBy: 'staff-cm-1',
      });
      expect(corrected?.metadata.actor.staffId).toBe('staff-cm-1');
    });

    it('R22: voiding an unknown contact is 404; a void without a reason is 400', async () => {
      const caseId = await openCase();
      const unknown = await post(`/api/v1/cases/${caseId}/contacts/${randomUUID()}/void`, {
        reason: 'x',
      });
      expect(unknown.status).toBe(404);
      const noReason = await post(`/api/v1/cases/${caseId}/contacts/${randomUUID()}/void`, {});
      expect(noReason.status).toBe(400);
    });
  });
});
