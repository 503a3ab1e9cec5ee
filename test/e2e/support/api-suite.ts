import request from 'supertest';
import { addDays } from '@caseledger/domain';
import { randomUUID } from 'node:crypto';
import { startApi, tokenFor, type ApiHarness, type Backend } from './api-harness';
import {
  contactBody,
  daysAgo,
  enrollmentBody,
  jobBody,
  openCaseBody,
  today,
} from './case-requests';

type Body = Record<string, unknown>;

/**
 * The v1 contract end to end (issue 4), run once per storage backend: one app
 * per test file, real Redis, and PostgreSQL or PGlite. Every refusal also
 * proves that nothing was appended (the history did not grow).
 */
export function defineApiSuite(backend: Backend): void {
  describe(`HTTP API v1 on ${backend}`, () => {
    let api: ApiHarness;
    let cm: string; // case manager of cc-1
    let sup: string; // supervisor of cc-1
    let auditor: string;
    let admin: string;
    let otherCm: string; // case manager of cc-2, no clearance

    beforeAll(async () => {
      api = await startApi(backend);
      [cm, sup, auditor, admin, otherCm] = await Promise.all([
        tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
        tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
        tokenFor({ role: 'auditor', center: 'state', sub: 'auditor-1' }),
        tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
        tokenFor({ role: 'case_manager', center: 'cc-2', sub: 'staff-cm-2' }),
      ]);
    });
    afterAll(async () => {
      await api?.close();
    });

    const http = () => request(api.server);
    const post = (path: string, body: unknown, token = cm) =>
      http()
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object);
    const get = (path: string, token = cm) =>
      http().get(path).set('Authorization', `Bearer ${token}`);

    async function historyLength(caseId: string): Promise<number> {
      const res = await get(`/api/v1/cases/${caseId}/history`, admin);
      if (res.status === 404) return 0;
      expect(res.status).toBe(200);
      return (res.body as { events: unknown[] }).events.length;
    }

    /** An open case with an active job-search enrollment (R3 satisfied). */
    async function givenCase(overrides: Body = {}, enroll = true): Promise<string> {
      const open = await post('/api/v1/cases', openCaseBody(overrides));
      expect(open.status).toBe(201);
      const caseId = (open.body as { caseId: string }).caseId;
      if (enroll) {
        const e = await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({
            startDate: overrides.openedOn ?? daysAgo(30),
          }),
        );
        expect(e.status).toBe(201);
      }
      return caseId;
    }

    /** The problem document, and proof that the refused command appended nothing. */
    async function expectRefused(
      caseId: string | undefined,
      send: () => Promise<request.Response>,
      status: number,
      type: string,
    ): Promise<request.Response> {
      const before = caseId ? await historyLength(caseId) : 0;
      const res = await send();
      expect({ status: res.status, type: (res.body as Body).type }).toEqual({
        status,
        type: `https://caseledger.dev/problems/${type}`,
      });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((res.body as Body).status).toBe(status);
      if (caseId) expect(await historyLength(caseId)).toBe(before);
      return res;
    }

    describe('success paths', () => {
      it('opens a case: 201 with caseId, revision 0, Location and ETag; GET folds it', async () => {
        const body = openCaseBody();
        const res = await post('/api/v1/cases', body);
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ caseId: body.caseId, revision: 0 });
        expect(res.headers.location).toBe(`/api/v1/cases/${String(body.caseId)}`);
        expect(res.headers.etag).toBe('"0"');

        const state = await get(res.headers.location);
        expect(state.status).toBe(200);
        expect(state.headers.etag).toBe('"0"');
        expect(state.body).toMatchObject({
          caseId: body.caseId,
          revision: 0,
          status: 'ACTIVE',
          program: 'WIOA_ADULT',
          careerCenterId: 'cc-1',
          caseManagerId: 'staff-cm-1',
          openedOn: body.openedOn,
          lastQualifyingContactOn: null,
          softExitDueOn: addDays(body.openedOn as string, 90),
          exitDate: null,
          enrollments: [],
          contacts: [],
          barriers: [],
        });
      });

      it('generates the case id when the client omits it', async () => {
        const { caseId: _omit, ...body } = openCaseBody();
        const res = await post('/api/v1/cases', body);
        expect(res.status).toBe(201);
        expect((res.body as Body).caseId).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('enrolls and ends an enrollment', async () => {
        const caseId = await givenCase({}, false);
        const res = await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ enrollmentId: 'en-1' }),
        );
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ enrollmentId: 'en-1', revision: 1 });
        const end = await post(`/api/v1/cases/${caseId}/enrollments/en-1/end`, {
          endDate: daysAgo(2),
          outcome: 'COMPLETED',
        });
        expect(end.status).toBe(200);
        expect(end.body).toEqual({ revision: 2 });
        const state = await get(`/api/v1/cases/${caseId}`);
        expect((state.body as { enrollments: Body[] }).enrollments[0]).toMatchObject({
          enrollmentId: 'en-1',
          outcome: 'COMPLETED',
        });
      });

      it('R8: a qualifying contact moves the soft-exit date; R5: an unanswered call does not', async () => {
        const caseId = await givenCase();
        const res = await post(
          `/api/v1/cases/${caseId}/contacts`,
          contactBody({ occurredOn: daysAgo(2) }),
        );
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ qualifying: true, revision: 2 });
        expect((res.body as Body).contactId).toEqual(expect.any(String));

        const call = await post(
          `/api/v1/cases/${caseId}/contacts`,
          contactBody({ method: 'TELEPHONE', outcome: 'NO_ANSWER', occurredOn: daysAgo(1) }),
        );
        expect(call.status).toBe(201);
        expect(call.body).toMatchObject({ qualifying: false, revision: 3 });

        const state = await get(`/api/v1/cases/${caseId}`);
        expect(state.body).toMatchObject({
          lastQualifyingContactOn: daysAgo(2),
          softExitDueOn: addDays(daysAgo(2), 90),
        });
      });

      it('R11: identifies a barrier and records how it was overcome; there is no delete', async () => {
        const caseId = await givenCase();
        const res = await post(`/api/v1/cases/${caseId}/barriers`, {
          barrierId: 'b-1',
          category: 'TRANSPORTATION',
          description: 'No car, bus does not reach the training site',
          plan: 'Bus pass and car-pool list',
          identifiedOn: daysAgo(10),
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ barrierId: 'b-1', revision: 2 });
        const done = await post(`/api/v1/cases/${caseId}/barriers/b-1/overcome`, {
          how: 'Bus pass issued',
          overcomeOn: daysAgo(1),
        });
        expect(done.status).toBe(200);
        const state = await get(`/api/v1/cases/${caseId}`);
        expect((state.body as { barriers: Body[] }).barriers).toEqual([
          expect.objectContaining({ barrierId: 'b-1', status: 'OVERCOME', how: 'Bus pass issued' }),
        ]);
        const del = await http()
          .delete(`/api/v1/cases/${caseId}/barriers/b-1`)
          .set('Authorization', `Bearer ${cm}`);
        expect(del.status).toBe(404);
        expect(await historyLength(caseId)).toBe(4);
      });

      it('R10: schedules a planned gap', async () => {
        const caseId = await givenCase();
        const res = await post(`/api/v1/cases/${caseId}/planned-gaps`, {
          gapId: 'g-1',
          startDate: daysAgo(5),
          endDate: addDays(today(), 20),
          reason: 'TRAINING_BREAK',
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ gapId: 'g-1', revision: 2 });
      });

      it('sets and resolves a goal', async () => {
        const caseId = await givenCase();
        const res = await post(`/api/v1/cases/${caseId}/goals`, {
          goalId: 'goal-1',
          statement: 'Full-time warehouse job',
          wageRangeDesired: { min: 16, max: 22 },
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ goalId: 'goal-1', revision: 2 });
        const resolved = await post(`/api/v1/cases/${caseId}/goals/goal-1/resolve`, {
          status: 'ACHIEVED',
        });
        expect(resolved.status).toBe(200);
        expect(resolved.body).toEqual({ revision: 3 });
      });

      it('R18: records reading and math scores, then training is accepted', async () => {
        const caseId = await givenCase();
        for (const kind of ['READING', 'MATH']) {
          const res = await post(`/api/v1/cases/${caseId}/assessments`, {
            kind,
            instrument: 'TABE',
            administeredOn: daysAgo(3),
            score: '560',
            summary: `${kind} at grade level 9`,
          });
          expect(res.status).toBe(201);
          expect((res.body as Body).assessmentId).toEqual(expect.any(String));
        }
        const training = await post(
          `/api/v1/cases/${caseId}/enrollments`,
          enrollmentBody({ activityType: 'TRAINING', activityName: 'CDL', startDate: daysAgo(1) }),
        );
        expect(training.status).toBe(201);
      });

      it('records employment (R19 follow-up starts)', async () => {
        const caseId = await givenCase();
        const res = await post(`/api/v1/cases/${caseId}/employment`, {
          job: jobBody(),
          startDate: daysAgo(2),
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({ revision: 2 });
        const state = await get(`/api/v1/cases/${caseId}`);
        expect((state.body as Body).followUpDueOn).toBe(addDays(daysAgo(2), 30));
      });

      it('R12: a supervisor transfers a case; the history stays with it', async () => {
        const caseId = await givenCase();
        const res = await post(
          `/api/v1/cases/${caseId}/transfer`,
          { toCareerCenterId: 'cc-2', toCaseManagerId: 'staff-cm-2', reason: 'Customer moved' },
          sup,
        );
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ revision: 2 });
        const state = await get(`/api/v1/cases/${caseId}`, otherCm);
        expect(state.body).toMatchObject({ careerCenterId: 'cc-2', caseManagerId: 'staff-cm-2' });
        expect(await historyLength(caseId)).toBe(3);
      });

      it('R16: a case manager suspends, a supervisor approves: the case closes', async () => {
        const caseId = await givenCase();
        const s = await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Customer asked to leave the program',
        });
        expect(s.status).toBe(200);
        const a = await post(`/api/v1/cases/${caseId}/suspension/approve`, { note: 'ok' }, sup);
        expect(a.status).toBe(200);
        expect(a.body).toEqual({ revision: 3 });
        const state = await get(`/api/v1/cases/${caseId}`);
        expect(state.body).toMatchObject({ status: 'CLOSED', closureReason: 'CUSTOMER_WITHDREW' });
      });

      it('R16: a supervisor returns a suspension: the case is active again', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'MOVED_OUT_OF_AREA',
          details: 'Moved to another state',
        }).expect(200);
        const r = await post(
          `/api/v1/cases/${caseId}/suspension/return`,
          { requestedInformation: 'Please give the new address' },
          sup,
        );
        expect(r.status).toBe(200);
        expect((await get(`/api/v1/cases/${caseId}`)).body).toMatchObject({ status: 'ACTIVE' });
      });

      it('R13: history records the actor from the token, command and correlation ids, and hashes', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody())
          .set('X-Correlation-Id', 'corr-e2e-1')
          .expect(201);
        const res = await get(`/api/v1/cases/${caseId}/history`, auditor);
        expect(res.status).toBe(200);
        const events = (res.body as { caseId: string; events: Body[] }).events;
        expect(events.map((e) => e.type)).toEqual([
          'CaseOpened',
          'ActivityEnrolled',
          'ContactRecorded',
        ]);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        const last = events[2];
        expect(last.metadata).toMatchObject({
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          recordedAt: expect.any(String),
          actor: { staffId: 'staff-cm-1', role: 'case_manager', careerCenterId: 'cc-1' },
          commandId: expect.any(String),
          correlationId: 'corr-e2e-1',
          causationId: 'corr-e2e-1',
        });
        expect(last.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(last.previousHash).toBe(events[1].hash);
      });

      it('verify recomputes the hash chain', async () => {
        const caseId = await givenCase();
        const res = await get(`/api/v1/cases/${caseId}/verify`, auditor);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ valid: true, eventCount: 2 });
      });

      it('asOf shows the case as it stood at an instant', async () => {
        const caseId = await givenCase({}, false);
        const opened = await get(`/api/v1/cases/${caseId}/history`);
        const recordedAt = (opened.body as { events: Array<{ metadata: Body }> }).events[0].metadata
          .recordedAt as string;
        await new Promise((r) => setTimeout(r, 20));
        await post(`/api/v1/cases/${caseId}/enrollments`, enrollmentBody()).expect(201);
        const then = await get(
          `/api/v1/cases/${caseId}?asOf=${encodeURIComponent(recordedAt)}`,
          auditor,
        );
        expect(then.status).toBe(200);
        expect(then.headers.etag).toBe('"0"');
        expect(then.body).toMatchObject({ revision: 0, enrollments: [] });
        const now = await get(`/api/v1/cases/${caseId}`, auditor);
        expect(now.body).toMatchObject({ revision: 1 });
        const before = await get(`/api/v1/cases/${caseId}?asOf=2000-01-01T00:00:00Z`, auditor);
        expect(before.status).toBe(404);
      });

      it('R13: a case manager cleared for another center may change its cases', async () => {
        const caseId = await givenCase();
        const cleared = await tokenFor({
          role: 'case_manager',
          center: 'cc-2',
          clearances: ['cc-1'],
        });
        const res = await post(`/api/v1/cases/${caseId}/contacts`, contactBody(), cleared);
        expect(res.status).toBe(201);
      });

      it('If-Match with the current revision is accepted and answers the new ETag', async () => {
        const caseId = await givenCase();
        const res = await post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set(
          'If-Match',
          '"1"',
        );
        expect(res.status).toBe(201);
        expect(res.headers.etag).toBe('"2"');
      });
    });

    describe('400: the request is refused at the edge', () => {
      it('a missing required field lists the field', async () => {
        const caseId = await givenCase();
        const { method: _m, ...body } = contactBody();
        const res = await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, body),
          400,
          'validation',
        );
        expect((res.body as { errors: Body[] }).errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'method' })]),
        );
      });

      it('an unknown enum value', async () => {
        const caseId = await givenCase();
        const res = await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ method: 'FAX' })),
          400,
          'validation',
        );
        expect((res.body as { errors: Body[] }).errors[0]).toMatchObject({ field: 'method' });
      });

      it('an unknown field (whitelist)', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ mood: 'happy' })),
          400,
          'validation',
        );
      });

      it('a nested field error names its path', async () => {
        const res = await expectRefused(
          undefined,
          () =>
            post(
              '/api/v1/cases',
              openCaseBody({ customer: { id: 'c', firstName: '', lastName: 'X' } }),
            ),
          400,
          'validation',
        );
        expect((res.body as { errors: Body[] }).errors[0]).toMatchObject({
          field: 'customer.firstName',
        });
      });

      it('malformed JSON', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            http()
              .post(`/api/v1/cases/${caseId}/contacts`)
              .set('Authorization', `Bearer ${cm}`)
              .set('Content-Type', 'application/json')
              .send('{"method": "IN_PERSON",'),
          400,
          'malformed-json',
        );
      });

      it('an impossible calendar date', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ occurredOn: '2024-02-30' })),
          400,
          'validation',
        );
      });

      it('BUSINESS_DATE: a contact dated in the future', async () => {
        const caseId = await givenCase();
        // Tomorrow in the area's zone: still plausible at the edge (which allows
        // up to UTC today + 1), so the domain judges it against the local date.
        await expectRefused(
          caseId,
          () =>
            post(
              `/api/v1/cases/${caseId}/contacts`,
              contactBody({ occurredOn: addDays(today(), 1) }),
            ),
          400,
          'BUSINESS_DATE',
        );
      });

      it('R4: an outcome the method cannot have', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(
              `/api/v1/cases/${caseId}/contacts`,
              contactBody({ method: 'IN_PERSON', outcome: 'SENT' }),
            ),
          400,
          'R4',
        );
      });

      it('a malformed If-Match, asOf or Idempotency-Key', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set('If-Match', 'yesterday'),
          400,
          'validation',
        );
        await expectRefused(
          caseId,
          () => get(`/api/v1/cases/${caseId}?asOf=last-week`),
          400,
          'validation',
        );
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set('Idempotency-Key', 'a b'),
          400,
          'validation',
        );
      });
    });

    describe('401: no valid token', () => {
      it('no token', async () => {
        const caseId = await givenCase();
        const res = await expectRefused(
          caseId,
          () => http().post(`/api/v1/cases/${caseId}/contacts`).send(contactBody()),
          401,
          'unauthorized',
        );
        expect(res.headers['www-authenticate']).toBe('Bearer');
        await expectRefused(
          caseId,
          () => http().get(`/api/v1/cases/${caseId}`),
          401,
          'unauthorized',
        );
      });

      it('a token signed with another secret (forged)', async () => {
        const caseId = await givenCase();
        const forged = await tokenFor({
          role: 'admin',
          center: 'cc-1',
          secret: 'an-attacker-secret-that-is-also-long-enough',
        });
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody(), forged),
          401,
          'unauthorized',
        );
      });

      it('a token with an unknown role', async () => {
        const caseId = await givenCase();
        const odd = await tokenFor({ role: 'janitor' as never, center: 'cc-1' });
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody(), odd),
          401,
          'unauthorized',
        );
      });
    });

    describe('403: the actor may not', () => {
      it('auditors read everything and write nothing', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody(), auditor),
          403,
          'forbidden',
        );
        await expectRefused(
          undefined,
          () => post('/api/v1/cases', openCaseBody(), auditor),
          403,
          'forbidden',
        );
        expect((await get(`/api/v1/cases/${caseId}`, auditor)).status).toBe(200);
      });

      it('R13: a case manager of another career center may not change the case', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody(), otherCm),
          403,
          'R13',
        );
      });

      it('R13: nor open a case in a center not theirs, nor read one', async () => {
        await expectRefused(
          undefined,
          () => post('/api/v1/cases', openCaseBody(), otherCm),
          403,
          'R13',
        );
        const caseId = await givenCase();
        await expectRefused(caseId, () => get(`/api/v1/cases/${caseId}`, otherCm), 403, 'R13');
        await expectRefused(
          caseId,
          () => get(`/api/v1/cases/${caseId}/history`, otherCm),
          403,
          'R13',
        );
      });

      it('R16: a case manager may not approve or return a suspension', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Left the program',
        }).expect(200);
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/suspension/approve`, {}),
          403,
          'R16',
        );
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/suspension/return`, {
              requestedInformation: 'More please',
            }),
          403,
          'R16',
        );
      });

      it('R12: a case manager may not transfer a case', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/transfer`, {
              toCareerCenterId: 'cc-2',
              toCaseManagerId: 'x',
              reason: 'moved',
            }),
          403,
          'R12',
        );
      });
    });

    describe('404, 409, 412', () => {
      it('404: a case that does not exist', async () => {
        const missing = randomUUID();
        await expectRefused(
          undefined,
          () => post(`/api/v1/cases/${missing}/contacts`, contactBody()),
          404,
          'NOT_FOUND',
        );
        await expectRefused(undefined, () => get(`/api/v1/cases/${missing}`), 404, 'NOT_FOUND');
        await expectRefused(
          undefined,
          () => get(`/api/v1/cases/${missing}/history`, auditor),
          404,
          'NOT_FOUND',
        );
        expect(await historyLength(missing)).toBe(0);
      });

      it('404: an enrollment, barrier or goal that does not exist', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/enrollments/nope/end`, {
              endDate: daysAgo(1),
              outcome: 'OTHER',
            }),
          404,
          'NOT_FOUND',
        );
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/barriers/nope/overcome`, {
              how: 'x',
              overcomeOn: daysAgo(1),
            }),
          404,
          'NOT_FOUND',
        );
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/goals/nope/resolve`, { status: 'ACHIEVED' }),
          404,
          'NOT_FOUND',
        );
      });

      it('409: opening a case id that exists', async () => {
        const body = openCaseBody();
        await post('/api/v1/cases', body).expect(201);
        await expectRefused(
          body.caseId as string,
          () => post('/api/v1/cases', body),
          409,
          'CASE_EXISTS',
        );
      });

      it('409: a contact id that already exists', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody({ contactId: 'c-1' })).expect(
          201,
        );
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ contactId: 'c-1' })),
          409,
          'DUPLICATE_ID',
        );
      });

      it('412: If-Match names a revision the case has moved past', async () => {
        const caseId = await givenCase();
        const res = await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set('If-Match', '"0"'),
          412,
          'stale-revision',
        );
        expect((res.body as Body).currentRevision).toBe(1);
      });
    });

    describe('422: a domain rule refuses the command', () => {
      it('R3: no contact without an active enrollment', async () => {
        const caseId = await givenCase({}, false);
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody()),
          422,
          'R3',
        );
      });

      it('R4: progress and justification must be substantive', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ progress: 'ok' })),
          422,
          'R4',
        );
      });

      it('R6: the provider only when the customer was unavailable', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          // R6 v2: the ladder applies to telephone calls (in person, the provider counts).
          () =>
            post(
              `/api/v1/cases/${caseId}/contacts`,
              contactBody({ method: 'TELEPHONE', party: 'PROVIDER' }),
            ),
          422,
          'R6',
        );
      });

      it('R7: a letter response counts only from the customer', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(
              `/api/v1/cases/${caseId}/contacts`,
              contactBody({
                method: 'LETTER',
                outcome: 'RESPONSE_RECEIVED',
                party: 'PROVIDER',
                customerUnavailable: true,
              }),
            ),
          422,
          'R7',
        );
      });

      it('R8: no entry once the soft-exit deadline has passed', async () => {
        // R8 v2: past the deadline even the enrollment is refused, so none is given.
        const caseId = await givenCase({ openedOn: daysAgo(120) }, false);
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody()),
          422,
          'R8',
        );
      });

      it('R10: planned gaps may not overlap', async () => {
        const caseId = await givenCase();
        // R10 v2: scheduled within the data-entry allowance of its start.
        await post(`/api/v1/cases/${caseId}/planned-gaps`, {
          startDate: daysAgo(5),
          endDate: daysAgo(2),
          reason: 'HEALTH',
        }).expect(201);
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/planned-gaps`, {
              startDate: daysAgo(3),
              endDate: daysAgo(1),
              reason: 'FAMILY_CARE',
            }),
          422,
          'R10',
        );
      });

      it('R11: an overcome barrier stays overcome', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/barriers`, {
          barrierId: 'b-1',
          category: 'HOUSING',
          description: 'Temporary shelter',
          plan: 'Housing referral',
          identifiedOn: daysAgo(5),
        }).expect(201);
        await post(`/api/v1/cases/${caseId}/barriers/b-1/overcome`, {
          how: 'Apartment',
          overcomeOn: daysAgo(1),
        }).expect(200);
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/barriers/b-1/overcome`, {
              how: 'Again',
              overcomeOn: daysAgo(1),
            }),
          422,
          'R11',
        );
      });

      it('R14: NO_CONTACT_90_DAYS needs 90 days since the last contact', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/suspend`, {
              reason: 'NO_CONTACT_90_DAYS',
              details: 'Gone quiet',
            }),
          422,
          'R14',
        );
      });

      it('R15: no suspension while a goal is pending; a goal resolves once', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/goals`, {
          goalId: 'goal-1',
          statement: 'A job',
        }).expect(201);
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/suspend`, {
              reason: 'CUSTOMER_WITHDREW',
              details: 'Left',
            }),
          422,
          'R15',
        );
        await post(`/api/v1/cases/${caseId}/goals/goal-1/resolve`, { status: 'CANCELLED' }).expect(
          200,
        );
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/goals/goal-1/resolve`, { status: 'ACHIEVED' }),
          422,
          'R15',
        );
      });

      it('R17: a closed case accepts no further contacts', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/suspend`, {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Left',
        }).expect(200);
        await post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup).expect(200);
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody()),
          422,
          'R17',
        );
      });

      it('R18: training for an adult needs reading and math scores first', async () => {
        const caseId = await givenCase({}, false);
        await expectRefused(
          caseId,
          () =>
            post(
              `/api/v1/cases/${caseId}/enrollments`,
              enrollmentBody({ activityType: 'TRAINING' }),
            ),
          422,
          'R18',
        );
      });

      it('R19: a follow-up contact needs recorded employment; EMPLOYMENT_ATTAINED needs it verified', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ followUp: true })),
          422,
          'R19',
        );
        await post(`/api/v1/cases/${caseId}/employment`, {
          job: jobBody(),
          startDate: daysAgo(2),
        }).expect(201);
        await expectRefused(
          caseId,
          () =>
            post(`/api/v1/cases/${caseId}/suspend`, {
              reason: 'EMPLOYMENT_ATTAINED',
              details: 'Hired',
            }),
          422,
          'R19',
        );
      });

      // R16 v2: a suspension is a pending request; with none pending there is nothing to approve.
      it('R16: only a pending suspension can be approved', async () => {
        const caseId = await givenCase();
        await expectRefused(
          caseId,
          () => post(`/api/v1/cases/${caseId}/suspension/approve`, {}, sup),
          422,
          'R16',
        );
      });
    });

    describe('Idempotency-Key', () => {
      it('the same key and body give the same answer and one set of events', async () => {
        const caseId = await givenCase();
        const send = () =>
          post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set(
            'Idempotency-Key',
            'key-contact-1',
          );
        const first = await send();
        expect(first.status).toBe(201);
        const again = await send();
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.headers.location).toBe(first.headers.location);
        expect(await historyLength(caseId)).toBe(3);
      });

      it('concurrent duplicates of one key append once', async () => {
        const caseId = await givenCase();
        const results = await Promise.all(
          Array.from({ length: 5 }, () =>
            post(`/api/v1/cases/${caseId}/contacts`, contactBody()).set(
              'Idempotency-Key',
              'key-burst',
            ),
          ),
        );
        for (const res of results) expect(res.status).toBe(201);
        expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
        expect(await historyLength(caseId)).toBe(3);
      });

      it('the same key with another body is 422 and appends nothing', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody())
          .set('Idempotency-Key', 'key-2')
          .expect(201);
        await expectRefused(
          caseId,
          () =>
            post(
              `/api/v1/cases/${caseId}/contacts`,
              contactBody({ progress: 'A different progress note, long enough.' }),
            ).set('Idempotency-Key', 'key-2'),
          422,
          'idempotency-key-reused',
        );
      });

      it('keys are scoped per actor', async () => {
        const caseId = await givenCase();
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody())
          .set('Idempotency-Key', 'shared')
          .expect(201);
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody(), sup)
          .set('Idempotency-Key', 'shared')
          .expect(201);
        expect(await historyLength(caseId)).toBe(4);
      });
    });

    it('parallel commands on one case: every acknowledged contact is stored, none lost', async () => {
      const caseId = await givenCase();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          post(`/api/v1/cases/${caseId}/contacts`, contactBody({ contactId: `par-${i}` })),
        ),
      );
      const acknowledged = results
        .filter((r) => r.status === 201)
        .map((r) => (r.body as Body).contactId);
      for (const r of results) expect([201, 409]).toContain(r.status);
      expect(acknowledged.length).toBeGreaterThan(0);
      const history = await get(`/api/v1/cases/${caseId}/history`, auditor);
      const stored = (history.body as { events: Array<{ type: string; data: Body }> }).events
        .filter((e) => e.type === 'ContactRecorded')
        .map((e) => e.data.contactId);
      expect([...stored].sort()).toEqual([...acknowledged].sort());
      const revisions = results
        .filter((r) => r.status === 201)
        .map((r) => (r.body as Body).revision);
      expect(new Set(revisions).size).toBe(revisions.length);
    });

    describe('operations', () => {
      it('GET /health reports the event store and Redis', async () => {
        const res = await http().get('/health');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          status: 'ok',
          checks: { eventStore: { status: 'up' }, redis: { status: 'up' } },
        });
      });

      it('GET /metrics counts commands by type and outcome and refusals by rule', async () => {
        const caseId = await givenCase({}, false);
        await post(`/api/v1/cases/${caseId}/contacts`, contactBody()).expect(422);
        const res = await http().get('/metrics');
        expect(res.status).toBe(200);
        expect(res.text).toMatch(
          /caseledger_commands_total\{type="OpenCase",outcome="accepted"\} \d+/,
        );
        expect(res.text).toMatch(/caseledger_command_refusals_total\{rule="R3"\} \d+/);
        expect(res.text).toMatch(/caseledger_append_duration_seconds_bucket/);
        expect(res.text).toMatch(/process_cpu_user_seconds_total/);
      });

      it('echoes the caller’s correlation id, or mints one', async () => {
        const given = await http().get('/health').set('X-Correlation-Id', 'abc-123');
        expect(given.headers['x-correlation-id']).toBe('abc-123');
        const minted = await http().get('/health');
        expect(minted.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('an unknown route is a problem document too', async () => {
        const res = await get('/api/v1/nothing-here');
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      });
    });
  });
}
