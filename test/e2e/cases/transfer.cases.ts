import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';

/** POST …/transfer (R12: a supervisor's decision; the history stays with the case). */
export const transfer = useCase('transfer a case', [
  scenario('R12: a supervisor transfers a case; the history stays with it')
    .smoke()
    .given(given.aCase())
    .when((s) =>
      s.post(
        s.casePath('transfer'),
        { toCareerCenterId: 'cc-2', toCaseManagerId: 'staff-cm-2', reason: 'Customer moved' },
        s.tokens.sup,
      ),
    )
    .then(
      then.response(200, { body: { revision: 2 } }),
      then.caseMatches({ careerCenterId: 'cc-2', caseManagerId: 'staff-cm-2' }, (t) => t.otherCm),
      then.eventCount(3),
    ),

  scenario('R12: a case manager may not transfer a case')
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('transfer'), {
        toCareerCenterId: 'cc-2',
        toCaseManagerId: 'x',
        reason: 'moved',
      }),
    )
    .then(then.problem('R12', 403), then.noNewEvents()),
]);
