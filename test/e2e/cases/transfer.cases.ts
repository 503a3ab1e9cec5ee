import {
  aCase,
  expectCase,
  expectEventCount,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';

/** POST …/transfer (R12: a supervisor's decision; the history stays with the case). */
export const transfer = useCase(__filename, 'transfer a case', [
  scenario('R12: a supervisor transfers a case; the history stays with it')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(
        s.casePath('transfer'),
        { toCareerCenterId: 'cc-2', toCaseManagerId: 'staff-cm-2', reason: 'Customer moved' },
        s.tokens.sup,
      ),
    )
    .then(
      expectResponse(200, { body: { revision: 2 } }),
      expectCase({ careerCenterId: 'cc-2', caseManagerId: 'staff-cm-2' }, (t) => t.otherCm),
      expectEventCount(3),
    ),

  scenario('R12: a case manager may not transfer a case')
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('transfer'), {
        toCareerCenterId: 'cc-2',
        toCaseManagerId: 'x',
        reason: 'moved',
      }),
    )
    .then(expectProblem('R12', 403), expectNoNewEvents()),
]);
