import {
  aCase,
  aCaseBody,
  aRequest,
  anOpenCase,
  expectEventCount,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  expectThat,
  eventsInStream,
  scenario,
  useCase,
} from '../support/api-specification';
import { enrolled } from '@caseledger/domain/testing';
import { contactBody, daysAgo, enrollmentBody } from '../support/case-requests';

type Body = Record<string, unknown>;

/** GET …/cases/{id} (with asOf), …/history and …/verify (R13: need-to-know). */
export const caseReads = useCase(__filename, 'read a case, its history and its proof', [
  scenario('R13: history records the actor from the token, command and correlation ids, and hashes')
    .smoke()
    .given(
      aCase(),
      aRequest(
        (s) => s.post(s.casePath('contacts'), contactBody()).set('X-Correlation-Id', 'corr-e2e-1'),
        201,
      ),
    )
    .when((s) => s.get(s.casePath('history'), s.tokens.auditor))
    .then(
      expectResponse(200),
      expectThat(({ response }) => {
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
    .given(aCase())
    .when((s) => s.get(s.casePath('verify'), s.tokens.auditor))
    .then(expectResponse(200, { body: { valid: true, eventCount: 2 } })),

  scenario('asOf shows the case as it stood at an instant')
    .smoke()
    .given(
      anOpenCase(),
      aRequest((s) => s.get(s.casePath('history'))),
      async () => {
        await new Promise((r) => setTimeout(r, 20));
      },
      aRequest((s) => s.post(s.casePath('enrollments'), enrollmentBody()), 201),
    )
    .when((s) => {
      const opened = s.answers[1].body as { events: Array<{ metadata: Body }> };
      const recordedAt = opened.events[0].metadata.recordedAt as string;
      return s.get(`${s.casePath()}?asOf=${encodeURIComponent(recordedAt)}`, s.tokens.auditor);
    })
    .then(
      expectResponse(200, { headers: { etag: '"0"' }, matches: { revision: 0, enrollments: [] } }),
      expectThat(async ({ scene }) => {
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
      anOpenCase(),
      eventsInStream(() => [enrolled({ id: 'enr-other', on: daysAgo(10) })]),
    )
    .when((s) => s.get(s.casePath()))
    .then(
      expectResponse(200, {
        headers: { etag: '"1"' },
        matches: { revision: 1, enrollments: [{ enrollmentId: 'enr-other' }] },
      }),
    ),

  scenario('400: a malformed asOf')
    .given(aCase())
    .when((s) => s.get(`${s.casePath()}?asOf=last-week`))
    .then(expectProblem('validation', 400), expectNoNewEvents()),

  scenario('auditors read every case')
    .given(aCase())
    .when((s) => s.get(s.casePath(), s.tokens.auditor))
    .then(expectResponse(200)),

  scenario('R13: a case manager of another center may not read the case')
    .given(aCase())
    .when((s) => s.get(s.casePath(), s.tokens.otherCm))
    .then(expectProblem('R13', 403), expectNoNewEvents()),

  scenario('R13: nor its history')
    .given(aCase())
    .when((s) => s.get(s.casePath('history'), s.tokens.otherCm))
    .then(expectProblem('R13', 403), expectNoNewEvents()),

  scenario('404: a case that does not exist')
    .given(aCaseBody())
    .when((s) => s.get(s.casePath()))
    .then(expectProblem('NOT_FOUND', 404), expectEventCount(0)),

  scenario('404: the history of a case that does not exist')
    .given(aCaseBody())
    .when((s) => s.get(s.casePath('history'), s.tokens.auditor))
    .then(expectProblem('NOT_FOUND', 404), expectEventCount(0)),
]);
