import {
  aCase,
  aRequest,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';

/** POST …/goals and …/goals/{id}/resolve (R15). */
export const goals = useCase(__filename, 'set and resolve a goal', [
  scenario('sets a goal: 201 with its id and the new revision')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('goals'), {
        goalId: 'goal-1',
        statement: 'Full-time warehouse job',
        wageRangeDesired: { min: 16, max: 22 },
      }),
    )
    .then(expectResponse(201, { body: { goalId: 'goal-1', revision: 2 } })),

  scenario('resolves a goal: 200 with the new revision')
    .smoke()
    .given(
      aCase(),
      aRequest((s) =>
        s.post(s.casePath('goals'), {
          goalId: 'goal-1',
          statement: 'Full-time warehouse job',
          wageRangeDesired: { min: 16, max: 22 },
        }),
      ),
    )
    .when((s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'ACHIEVED' }))
    .then(expectResponse(200, { body: { revision: 3 } })),

  scenario('R15: a goal resolves once')
    .smoke()
    .given(
      aCase(),
      aRequest((s) => s.post(s.casePath('goals'), { goalId: 'goal-1', statement: 'A job' }), 201),
      aRequest((s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'CANCELLED' }), 200),
    )
    .when((s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'ACHIEVED' }))
    .then(expectProblem('R15', 422), expectNoNewEvents()),

  scenario('404: resolving a goal that does not exist')
    .given(aCase())
    .when((s) => s.post(s.casePath('goals/nope/resolve'), { status: 'ACHIEVED' }))
    .then(expectProblem('NOT_FOUND', 404), expectNoNewEvents()),
]);
