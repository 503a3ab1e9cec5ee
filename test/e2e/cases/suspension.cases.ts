import {
  aCase,
  aRequest,
  expectCase,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';
import { daysAgo, jobBody } from '../support/case-requests';

const suspended = (reason: string, details: string) =>
  aRequest((s) => s.post(s.casePath('suspend'), { reason, details }), 200);

/** POST …/suspend, …/suspension/approve, …/suspension/return (R14–R16, R19). */
export const suspension = useCase(__filename, 'suspend and close a case', [
  scenario('R16: a case manager suspends, a supervisor approves: the case closes')
    .smoke()
    .given(aCase(), suspended('CUSTOMER_WITHDREW', 'Customer asked to leave the program'))
    .when((s) => s.post(s.casePath('suspension/approve'), { note: 'ok' }, s.tokens.sup))
    .then(
      expectResponse(200, { body: { revision: 3 } }),
      expectCase({ status: 'CLOSED', closureReason: 'CUSTOMER_WITHDREW' }),
    ),

  scenario('R16: a supervisor returns a suspension: the case is active again')
    .smoke()
    .given(aCase(), suspended('MOVED_OUT_OF_AREA', 'Moved to another state'))
    .when((s) =>
      s.post(
        s.casePath('suspension/return'),
        { requestedInformation: 'Please give the new address' },
        s.tokens.sup,
      ),
    )
    .then(expectResponse(200), expectCase({ status: 'ACTIVE' })),

  scenario('R16: a case manager may not approve a suspension')
    .given(aCase(), suspended('CUSTOMER_WITHDREW', 'Left the program'))
    .when((s) => s.post(s.casePath('suspension/approve'), {}))
    .then(expectProblem('R16', 403), expectNoNewEvents()),

  scenario('R16: a case manager may not return a suspension')
    .given(aCase(), suspended('CUSTOMER_WITHDREW', 'Left the program'))
    .when((s) => s.post(s.casePath('suspension/return'), { requestedInformation: 'More please' }))
    .then(expectProblem('R16', 403), expectNoNewEvents()),

  // R16 v2: a suspension is a pending request; with none pending there is nothing to approve.
  scenario('R16: only a pending suspension can be approved')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('suspension/approve'), {}, s.tokens.sup))
    .then(expectProblem('R16', 422), expectNoNewEvents()),

  scenario('R14: NO_CONTACT_90_DAYS needs 90 days since the last contact')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('suspend'), { reason: 'NO_CONTACT_90_DAYS', details: 'Gone quiet' }),
    )
    .then(expectProblem('R14', 422), expectNoNewEvents()),

  scenario('R15: no suspension while a goal is pending')
    .smoke()
    .given(
      aCase(),
      aRequest((s) => s.post(s.casePath('goals'), { goalId: 'goal-1', statement: 'A job' }), 201),
    )
    .when((s) => s.post(s.casePath('suspend'), { reason: 'CUSTOMER_WITHDREW', details: 'Left' }))
    .then(expectProblem('R15', 422), expectNoNewEvents()),

  scenario('R19: EMPLOYMENT_ATTAINED needs the employment verified')
    .smoke()
    .given(
      aCase(),
      aRequest(
        (s) => s.post(s.casePath('employment'), { job: jobBody(), startDate: daysAgo(2) }),
        201,
      ),
    )
    .when((s) => s.post(s.casePath('suspend'), { reason: 'EMPLOYMENT_ATTAINED', details: 'Hired' }))
    .then(expectProblem('R19', 422), expectNoNewEvents()),
]);
