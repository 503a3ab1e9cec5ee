import { addDays } from '@caseledger/domain';
import { FixedClock } from '@caseledger/platform';
import { randomUUID } from 'node:crypto';
import { DeadlineDatabase, DeadlineHarness } from './testing/deadline-harness';
import {
  caseIdOf,
  deadlineSpec,
  expectEventTypes,
  expectExit,
  expectJob,
  expectNoJob,
  expectTickler,
  opened,
  reactorCaughtUp,
  reactorStarted,
  sent,
  workerStarted,
} from './testing/deadline-specification';

/**
 * R19/R20 as BullMQ deadlines (real PostgreSQL and Redis): the follow-up
 * (`FOLLOW_UP_DUE`) is a job like the others, kept on a soft-exited case
 * (R17 v2: not terminal) and dropped when the case closes.
 */
describe('follow-up deadlines (R19, R20) on BullMQ', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  const spec = deadlineSpec(() => h);

  beforeAll(async () => {
    base = await DeadlineDatabase.create('follow_up_deadlines');
  });
  afterAll(async () => {
    await base.close();
  });
  beforeEach(() => {
    h = new DeadlineHarness(base, new FixedClock(new Date('2025-06-16T17:00:00Z')));
  });
  afterEach(async () => {
    await h.close();
  });

  it('R20: a youth soft-exits, and the FOLLOW_UP_DUE job of the twelve-month follow-up fires', async () => {
    const openedOn = h.daysAgo(100);
    const exited = await spec
      .given(reactorStarted(), opened('youth', 100, { program: 'WIOA_YOUTH' }))
      .when(workerStarted())
      .then(
        expectExit('youth'),
        // Exit on the opening day; the first follow-up is owed 90 days after it (10 days ago).
        expectTickler('youth', 'FOLLOW_UP_DUE', () => addDays(openedOn, 90)),
        expectEventTypes('youth', 'CaseOpened', 'CaseSoftExited', 'TicklerRaised'),
      );
    // A follow-up contact (after the exit) owes the next one 90 days after it.
    await exited
      .when(
        sent('youth', (_, w) => ({
          type: 'RecordContact',
          data: {
            contactId: randomUUID(),
            method: 'TELEPHONE',
            party: 'CUSTOMER',
            outcome: 'REACHED',
            occurredOn: w.today,
            progress: 'Working part time at the grocery; enrolled at the college.',
            justification: 'Follow-up: services after exit per the youth follow-up policy.',
            followUp: true,
          },
        })),
      )
      .then(expectJob('follow-up', 'youth', (w) => addDays(w.today, 90)));
  });

  it('R19/R20: an adult’s job start sets the follow-up job; closing the case drops it', async () => {
    const employed = await spec
      .given(reactorStarted(), opened('adult', 60), (w) =>
        w.enroll(caseIdOf(w, 'adult'), w.daysAgo(60)),
      )
      .when(
        sent('adult', (_, w) => ({
          type: 'RecordEmployment',
          data: {
            job: {
              title: 'Welder',
              employerName: 'Ozark Fabrication',
              employerAddress: '12 Mill St',
              employerPhone: '417-555-0100',
              employerContact: 'Dana Reyes',
              hourlyWage: 21.5,
              hoursPerWeek: 40,
              benefits: 'Health',
            },
            startDate: w.daysAgo(10),
          },
        })),
      )
      // R19: verification due 30 days after the job start.
      .then(expectJob('follow-up', 'adult', (w) => addDays(w.daysAgo(10), 30)));
    await employed
      .when(
        sent(
          'adult',
          () => ({
            type: 'SuspendCase',
            data: { reason: 'CUSTOMER_WITHDREW', details: 'Took the job; leaves the program.' },
          }),
          { staffId: 'cm-1', role: 'case_manager', careerCenterId: 'CC-1' },
        ),
        sent('adult', () => ({ type: 'ApproveSuspension', data: {} })),
        reactorCaughtUp('adult'),
      )
      .then(expectNoJob('follow-up', 'adult'));
  });
});
