import { addDays } from '@caseledger/domain';
import {
  aCase,
  aRequest,
  expectNoNewEvents,
  expectProblem,
  expectResponse,
  scenario,
  useCase,
} from '../support/api-specification';
import { daysAgo, today } from '../support/case-requests';

/** POST …/planned-gaps (R10). */
export const plannedGaps = useCase(__filename, 'schedule a planned gap', [
  scenario('R10: schedules a planned gap')
    .smoke()
    .given(aCase())
    .when((s) =>
      s.post(s.casePath('planned-gaps'), {
        gapId: 'g-1',
        startDate: daysAgo(5),
        endDate: addDays(today(), 20),
        reason: 'TRAINING_BREAK',
      }),
    )
    .then(expectResponse(201, { body: { gapId: 'g-1', revision: 2 } })),

  // R10 v2: scheduled within the data-entry allowance of its start.
  scenario('R10: planned gaps may not overlap')
    .smoke()
    .given(
      aCase(),
      aRequest(
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
    .then(expectProblem('R10', 422), expectNoNewEvents()),
]);
