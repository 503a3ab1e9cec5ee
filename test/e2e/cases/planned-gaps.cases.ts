import { addDays } from '@caseledger/domain';
import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { daysAgo, today } from '../support/case-requests';

/** POST …/planned-gaps (R10). */
export const plannedGaps = useCase('schedule a planned gap', [
  scenario('R10: schedules a planned gap')
    .smoke()
    .given(given.aCase())
    .when((s) =>
      s.post(s.casePath('planned-gaps'), {
        gapId: 'g-1',
        startDate: daysAgo(5),
        endDate: addDays(today(), 20),
        reason: 'TRAINING_BREAK',
      }),
    )
    .then(then.response(201, { body: { gapId: 'g-1', revision: 2 } })),

  // R10 v2: scheduled within the data-entry allowance of its start.
  scenario('R10: planned gaps may not overlap')
    .smoke()
    .given(
      given.aCase(),
      given.aRequest(
        (s) =>
          s.post(s.casePath('planned-gaps'), {
            startDate: daysAgo(5),
            endDate: daysAgo(2),
            reason: 'HEALTH',
          }),
        201,
      ),
    )
    .when((s) =>
      s.post(s.casePath('planned-gaps'), {
        startDate: daysAgo(3),
        endDate: daysAgo(1),
        reason: 'FAMILY_CARE',
      }),
    )
    .then(then.problem('R10', 422), then.noNewEvents()),
]);
