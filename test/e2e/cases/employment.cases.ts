import { addDays } from '@caseledger/domain';
import { aCase, expectCase, expectResponse, scenario, useCase } from '../support/api-specification';
import { daysAgo, jobBody } from '../support/case-requests';

/** POST …/employment (R19: the follow-up period starts at the job's start). */
export const employment = useCase(__filename, 'record employment', [
  scenario('records employment (R19 follow-up starts)')
    .smoke()
    .given(aCase())
    .when((s) => s.post(s.casePath('employment'), { job: jobBody(), startDate: daysAgo(2) }))
    .then(
      expectResponse(201, { body: { revision: 2 } }),
      expectCase(() => ({ followUpDueOn: addDays(daysAgo(2), 30) })),
    ),
]);
