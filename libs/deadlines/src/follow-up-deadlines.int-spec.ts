import { addDays, caseStreamId } from '@caseledger/domain';
import { comparePositions } from '@caseledger/event-store';
import { FixedClock } from '@caseledger/platform';
import { randomUUID } from 'node:crypto';
import { deadlineJobId, type DeadlineKind } from './deadline-kind';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';

/**
 * R19/R20 as BullMQ deadlines (real PostgreSQL and Redis): the follow-up
 * (`FOLLOW_UP_DUE`) is a job like the others, kept on a soft-exited case
 * (R17 v2: not terminal) and dropped when the case closes.
 */
describe('follow-up deadlines (R19, R20) on BullMQ', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;

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

  const job = (kind: DeadlineKind, caseId: string) => h.queue.getJob(deadlineJobId(kind, caseId));
  const jobDueOn = (kind: DeadlineKind, caseId: string, dueOn: string) =>
    eventually(async () => ((await job(kind, caseId))?.data.dueOn === dueOn ? true : undefined));
  const reactorCaughtUp = async (caseId: string) => {
    const stream = await base.store.readStream(caseStreamId(caseId));
    const head = stream[stream.length - 1].position;
    await eventually(() => {
      const at = h.reactor.processedUpTo;
      return Promise.resolve(at && comparePositions(at, head) >= 0 ? true : undefined);
    });
  };
  const ticklers = async (caseId: string) =>
    (await h.events(caseId))
      .filter((e) => e.type === 'TicklerRaised')
      .map((e) => e.data as { kind: string; dueOn: string });

  it('R20: a youth soft-exits, and the FOLLOW_UP_DUE job of the twelve-month follow-up fires', async () => {
    await h.startReactorAtHead();
    const caseId = randomUUID();
    const openedOn = h.daysAgo(100);
    await h.send(caseId, {
      type: 'OpenCase',
      data: {
        caseId,
        customer: { id: `cust-${caseId}`, firstName: 'Ada', lastName: 'Byron' },
        program: 'WIOA_YOUTH',
        careerCenterId: 'CC-1',
        localAreaId: 'MO-DEFAULT',
        caseManagerId: 'cm-1',
        openedOn,
      },
    });
    h.startWorker();
    await eventually(async () => ((await h.softExits(caseId)).length === 1 ? true : undefined));
    // Exit on the opening day; the first follow-up is owed 90 days after it (10 days ago).
    await eventually(async () =>
      (await ticklers(caseId)).some(
        (t) => t.kind === 'FOLLOW_UP_DUE' && t.dueOn === addDays(openedOn, 90),
      )
        ? true
        : undefined,
    );
    expect((await h.events(caseId)).map((e) => e.type)).toEqual([
      'CaseOpened',
      'CaseSoftExited',
      'TicklerRaised',
    ]);
    // A follow-up contact (after the exit) owes the next one 90 days after it.
    await h.send(caseId, {
      type: 'RecordContact',
      data: {
        contactId: randomUUID(),
        method: 'TELEPHONE',
        party: 'CUSTOMER',
        outcome: 'REACHED',
        occurredOn: h.today,
        progress: 'Working part time at the grocery; enrolled at the college.',
        justification: 'Follow-up: services after exit per the youth follow-up policy.',
        followUp: true,
      },
    });
    await jobDueOn('follow-up', caseId, addDays(h.today, 90));
  });

  it('R19/R20: an adult’s job start sets the follow-up job; closing the case drops it', async () => {
    await h.startReactorAtHead();
    const caseId = await h.openCase(h.daysAgo(60));
    await h.enroll(caseId, h.daysAgo(60));
    await h.send(caseId, {
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
        startDate: h.daysAgo(10),
      },
    });
    // R19: verification due 30 days after the job start.
    await jobDueOn('follow-up', caseId, addDays(h.daysAgo(10), 30));
    await h.send(
      caseId,
      {
        type: 'SuspendCase',
        data: { reason: 'CUSTOMER_WITHDREW', details: 'Took the job; leaves the program.' },
      },
      { staffId: 'cm-1', role: 'case_manager', careerCenterId: 'CC-1' },
    );
    await h.send(caseId, { type: 'ApproveSuspension', data: {} });
    await reactorCaughtUp(caseId);
    await eventually(async () => ((await job('follow-up', caseId)) ? undefined : true));
  });
});
