import { addDays } from '@caseledger/domain';
import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { daysAgo, jobBody } from '../support/case-requests';

/** POST …/employment (R19: the follow-up period starts at the job's start). */
export const employment = useCase('record employment', [
  scenario('records employment (R19 follow-up starts)')
    .smoke()
    .given(given.aCase())
    .when((s) => s.post(s.casePath('employment'), { job: jobBody(), startDate: daysAgo(2) }))
    .then(
      then.response(201, { body: { revision: 2 } }),
      then.caseMatches(() => ({ followUpDueOn: addDays(daysAgo(2), 30) })),
    ),
]);
