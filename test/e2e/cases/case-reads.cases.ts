import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { enrolled } from '@caseledger/domain/testing';
import { contactBody, daysAgo, enrollmentBody } from '../support/case-requests';

type Body = Record<string, unknown>;

/** GET …/cases/{id} (with asOf), …/history and …/verify (R13: need-to-know). */
export const caseReads = useCase('read a case, its history and its proof', [
  scenario('R13: history records the actor from the token, command and correlation ids, and hashes')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest(
        (s) => s.post(s.casePath('contacts'), contactBody()).set('X-Correlation-Id', 'corr-e2e-1'),
        201,
      ),
    )
    .when((s) => s.get(s.casePath('history'), s.tokens.auditor))
    .then(
      then.response(200),
      then.that(({ response }) => {
        const events = (response.body as { events: Body[] }).events;
        expect(events.map((e) => e.type)).toEqual([
          'CaseOpened',
          'ActivityEnrolled',
          'ContactRecorded',
        ]);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        const last = events[2];
        expect(last.metadata).toMatchObject({
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
          recordedAt: expect.any(String) as unknown,
          actor: { staffId: 'staff-cm-1', role: 'case_manager', careerCenterId: 'cc-1' },
          commandId: expect.any(String) as unknown,
          correlationId: 'corr-e2e-1',
          causationId: 'corr-e2e-1',
        });
        expect(last.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(last.previousHash).toBe(events[1].hash);
      }),
    ),

  scenario('verify recomputes the hash chain')
    .smoke()
    .given(given.aCase())
    .when((s) => s.get(s.casePath('verify'), s.tokens.auditor))
    .then(then.response(200, { body: { valid: true, eventCount: 2 } })),

  scenario('asOf shows the case as it stood at an instant')
    .smoke()
    .given(
      given.anOpenCase(),
      given.aRequest((s) => s.get(s.casePath('history'))),
      async () => {
        await new Promise((r) => setTimeout(r, 20));
      },
      given.aRequest((s) => s.post(s.casePath('enrollments'), enrollmentBody()), 201),
    )
    .when((s) => {
      const opened = s.answers[1].body as { events: Array<{ metadata: Body }> };
      const recordedAt = opened.events[0].metadata.recordedAt as string;
      return s.get(`${s.casePath()}?asOf=${encodeURIComponent(recordedAt)}`, s.tokens.auditor);
    })
    .then(
      then.response(200, { headers: { etag: '"0"' }, matches: { revision: 0, enrollments: [] } }),
      then.that(async ({ scene }) => {
        const now = await scene.get(scene.casePath(), scene.tokens.auditor);
        expect(now.body).toMatchObject({ revision: 1 });
        const before = await scene.get(
          `${scene.casePath()}?asOf=2000-01-01T00:00:00Z`,
          scene.tokens.auditor,
        );
        expect(before.status).toBe(404);
      }),
    ),

  scenario('reads fold events another process appended to the stream as its own')
    .smoke()
    .given(
      given.anOpenCase(),
      given.eventsInStream(() => [enrolled({ id: 'enr-other', on: daysAgo(10) })]),
    )
    .when((s) => s.get(s.casePath()))
    .then(
      then.response(200, {
        headers: { etag: '"1"' },
        matches: { revision: 1, enrollments: [{ enrollmentId: 'enr-other' }] },
      }),
    ),

  scenario('400: a malformed asOf')
    .given(given.aCase())
    .when((s) => s.get(`${s.casePath()}?asOf=last-week`))
    .then(then.problem('validation', 400), then.noNewEvents()),

  scenario('auditors read every case')
    .given(given.aCase())
    .when((s) => s.get(s.casePath(), s.tokens.auditor))
    .then(then.response(200)),

  scenario('R13: a case manager of another center may not read the case')
    .given(given.aCase())
    .when((s) => s.get(s.casePath(), s.tokens.otherCm))
    .then(then.problem('R13', 403), then.noNewEvents()),

  scenario('R13: nor its history')
    .given(given.aCase())
    .when((s) => s.get(s.casePath('history'), s.tokens.otherCm))
    .then(then.problem('R13', 403), then.noNewEvents()),

  scenario('404: a case that does not exist')
    .given(given.aCaseBody())
    .when((s) => s.get(s.casePath()))
    .then(then.problem('NOT_FOUND', 404), then.eventCount(0)),

  scenario('404: the history of a case that does not exist')
    .given(given.aCaseBody())
    .when((s) => s.get(s.casePath('history'), s.tokens.auditor))
    .then(then.problem('NOT_FOUND', 404), then.eventCount(0)),
]);
