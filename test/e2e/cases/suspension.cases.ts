import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { daysAgo, jobBody } from '../support/case-requests';

const suspended = (reason: string, details: string) =>
  given.aRequest((s) => s.post(s.casePath('suspend'), { reason, details }), 200);

/** POST …/suspend, …/suspension/approve, …/suspension/return (R14–R16, R19). */
export const suspension = useCase('suspend and close a case', [
  scenario('R16: a case manager suspends, a supervisor approves: the case closes')
    .smoke()
    .given(given.aCase(), suspended('CUSTOMER_WITHDREW', 'Customer asked to leave the program'))
    .when((s) => s.post(s.casePath('suspension/approve'), { note: 'ok' }, s.tokens.sup))
    .then(
      then.response(200, { body: { revision: 3 } }),
      then.caseMatches({ status: 'CLOSED', closureReason: 'CUSTOMER_WITHDREW' }),
    ),

  scenario('R16: a supervisor returns a suspension: the case is active again')
    .smoke()
    .given(given.aCase(), suspended('MOVED_OUT_OF_AREA', 'Moved to another state'))
    .when((s) =>
      s.post(
        s.casePath('suspension/return'),
        { requestedInformation: 'Please give the new address' },
        s.tokens.sup,
      ),
    )
    .then(then.response(200), then.caseMatches({ status: 'ACTIVE' })),

  scenario('R16: a case manager may not approve a suspension')
    .given(given.aCase(), suspended('CUSTOMER_WITHDREW', 'Left the program'))
    .when((s) => s.post(s.casePath('suspension/approve'), {}))
    .then(then.problem('R16', 403), then.noNewEvents()),

  scenario('R16: a case manager may not return a suspension')
    .given(given.aCase(), suspended('CUSTOMER_WITHDREW', 'Left the program'))
    .when((s) => s.post(s.casePath('suspension/return'), { requestedInformation: 'More please' }))
    .then(then.problem('R16', 403), then.noNewEvents()),

  // R16 v2: a suspension is a pending request; with none pending there is nothing to approve.
  scenario('R16: only a pending suspension can be approved')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('suspension/approve'), {}, s.tokens.sup))
    .then(then.problem('R16', 422), then.noNewEvents()),

  scenario('R14: NO_CONTACT_90_DAYS needs 90 days since the last contact')
    .smoke()
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('suspend'), { reason: 'NO_CONTACT_90_DAYS', details: 'Gone quiet' }),
    )
    .then(then.problem('R14', 422), then.noNewEvents()),

  scenario('R15: no suspension while a goal is pending')
    .smoke()
    .given(given.aCase(), given.aPendingGoal())
    .when((s) => s.post(s.casePath('suspend'), { reason: 'CUSTOMER_WITHDREW', details: 'Left' }))
    .then(then.problem('R15', 422), then.noNewEvents()),

  scenario('R19: EMPLOYMENT_ATTAINED needs the employment verified')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest(
        (s) => s.post(s.casePath('employment'), { job: jobBody(), startDate: daysAgo(2) }),
        201,
      ),
    )
    .when((s) => s.post(s.casePath('suspend'), { reason: 'EMPLOYMENT_ATTAINED', details: 'Hired' }))
    .then(then.problem('R19', 422), then.noNewEvents()),
]);
