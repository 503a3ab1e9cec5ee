import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';

/** POST …/goals and …/goals/{id}/resolve (R15). */
export const goals = useCase('set and resolve a goal', [
  scenario('sets a goal: 201 with its id and the new revision')
    .smoke()
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('goals'), {
        goalId: 'goal-1',
        statement: 'Full-time warehouse job',
        wageRangeDesired: { min: 16, max: 22 },
      }),
    )
    .then(then.response(201, { body: { goalId: 'goal-1', revision: 2 } })),

  scenario('resolves a goal: 200 with the new revision')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest((s) =>
        s.post(s.casePath('goals'), {
          goalId: 'goal-1',
          statement: 'Full-time warehouse job',
          wageRangeDesired: { min: 16, max: 22 },
        }),
      ),
    )
    .when((s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'ACHIEVED' }))
    .then(then.response(200, { body: { revision: 3 } })),

  scenario('R15: a goal resolves once')
    .smoke()
    .given(
      given.aCase(),
      given.aPendingGoal(),
      given.aRequest(
        (s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'CANCELLED' }),
        200,
      ),
    )
    .when((s) => s.post(s.casePath('goals/goal-1/resolve'), { status: 'ACHIEVED' }))
    .then(then.problem('R15', 422), then.noNewEvents()),

  scenario('404: resolving a goal that does not exist')
    .given(given.aCase())
    .when((s) => s.post(s.casePath('goals/nope/resolve'), { status: 'ACHIEVED' }))
    .then(then.problem('NOT_FOUND', 404), then.noNewEvents()),
]);
