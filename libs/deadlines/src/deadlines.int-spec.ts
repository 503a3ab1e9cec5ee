import { addDays, type BusinessDate } from '@caseledger/domain';
import { FixedClock } from '@caseledger/platform';
import { as, expectResult, resultOf } from '@caseledger/testing';
import { Worker } from 'bullmq';
import { fireInstant, type DeadlineJobData, type DeadlineKind } from './deadline-kind';
import type { SweepReport } from './deadline-sweep';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';
import {
  caseIdOf,
  contacted,
  deadlineSpec,
  enrolled,
  expectExit,
  expectExitCount,
  expectJob,
  expectJobData,
  expectJobKept,
  expectNoJob,
  expectTickler,
  jobNoted,
  opened,
  reactorCaughtUp,
  reactorStarted,
  sent,
  swept,
  workerStarted,
  type DeadlineStep,
} from './testing/deadline-specification';

/**
 * Deadlines against real PostgreSQL and Redis: the reactor follows the store, the
 * processor sends commands through the platform's executor, the clock is the
 * test's. Each test has its own BullMQ prefix; the file has its own database.
 * Cases are named ('c' unless a test has several).
 */
const CASE_MANAGER = {
  staffId: 'cm-suspender',
  role: 'case_manager' as const,
  careerCenterId: 'CC-1',
};

describe('deadlines on BullMQ (reactor, processor, sweep)', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  let clock: FixedClock;
  const spec = deadlineSpec(() => h);

  beforeAll(async () => {
    base = await DeadlineDatabase.create('deadlines');
  });
  afterAll(async () => {
    await base.close();
  });
  beforeEach(() => {
    // Noon in the area's zone, so the local date is unambiguous.
    clock = new FixedClock(new Date('2025-06-16T17:00:00Z'));
    h = new DeadlineHarness(base, clock);
  });
  afterEach(async () => {
    await h.close();
  });

  /** A soft-exit job for the named case due on `dueOn`, under its own job id (a duplicate of the reactor's). */
  const softExitJobAdded =
    (name: string, dueOn: (w: DeadlineHarness) => BusinessDate, jobId: string): DeadlineStep =>
    (w) => {
      const caseId = caseIdOf(w, name);
      const due = dueOn(w);
      const data: DeadlineJobData = {
        caseId,
        kind: 'soft-exit',
        dueOn: due,
        timeZone: 'America/Chicago',
        fireAt: fireInstant(due, 'America/Chicago'),
      };
      return w.queue.add('soft-exit', data, { jobId: `soft-exit-${caseId}-${jobId}` });
    };
  /** Every job of the listed ids for the named case is done. */
  const jobsDone =
    (name: string, ...jobIds: string[]): DeadlineStep =>
    (w) =>
      eventually(async () => {
        const caseId = caseIdOf(w, name);
        const left = await Promise.all(
          jobIds.map((n) => w.queue.getJob(`soft-exit-${caseId}-${n}`)),
        );
        return left.every((j) => j === undefined) ? true : undefined;
      });
  const reconciled =
    (name: string): DeadlineStep =>
    (w) =>
      w.reactor.reconcileCase(caseIdOf(w, name));

  it('R8/R17: a case whose deadline passed is soft-exited exactly once, dated at its opening; a duplicate job appends nothing', async () => {
    const openedOn = h.daysAgo(100);
    const exited = await spec
      .given(reactorStarted(), workerStarted())
      .when(opened('c', 100))
      .then(
        expectExit('c', (w) => ({
          exitDate: openedOn,
          dueOn: addDays(openedOn, 90),
          detectedOn: w.today,
        })),
        expectNoJob('soft-exit', 'c'),
        expectExitCount('c', 1),
        async ({ world: w }) =>
          expect((await w.softExits(caseIdOf(w, 'c')))[0]?.metadata.actor.staffId).toBe('system'),
      );
    // A late duplicate of the same deadline (another id, the same command id).
    await exited
      .when(
        softExitJobAdded('c', () => addDays(openedOn, 90), 'duplicate'),
        jobsDone('c', 'duplicate'),
      )
      .then(expectExitCount('c', 1));
  });

  it('R17: the exit date is the last qualifying contact, not the day the exit was detected', async () => {
    // The contact is entered on its day, 95 days ago; nobody contacts the customer again.
    const now = clock.now();
    let contactDay = h.today;
    await spec
      .given(
        () => {
          clock.set(new Date(now.getTime() - 95 * 86_400_000));
          contactDay = h.today;
        },
        opened('c', () => addDays(contactDay, -55)),
        (w) => w.enroll(caseIdOf(w, 'c'), addDays(contactDay, -55)),
        contacted('c'),
        () => clock.set(now),
      )
      .when(reactorStarted(), reconciled('c'), workerStarted())
      .then(
        expectExit('c', (w) => ({
          exitDate: contactDay,
          dueOn: addDays(contactDay, 90),
          detectedOn: w.today,
        })),
      );
  });

  it('R8/R5: a qualifying contact moves the scheduled job and no exit happens; a non-qualifying one leaves it alone', async () => {
    const scheduled = await spec
      .given(reactorStarted(), workerStarted(), opened('c', 80))
      .when(enrolled('c', 80))
      .then(expectJob('soft-exit', 'c', (w) => w.daysAgo(80 - 90)));
    // Barrier-free proof that the reactor saw the attempt: wait for its checkpoint to pass it.
    const attempted = await scheduled
      .given(jobNoted('soft-exit', 'c', 'scheduled'))
      .when(contacted('c', { method: 'TELEPHONE', outcome: 'NO_ANSWER' }), reactorCaughtUp('c'))
      .then(expectJobKept('soft-exit', 'c', 'scheduled'));
    const moved = await attempted.when(contacted('c')).then(
      expectJob('soft-exit', 'c', (w) => addDays(w.today, 90)),
      expectExitCount('c', 0),
    );
    // The old deadline passes: nothing; the new one passes: exit, dated at the contact.
    const contactDay = h.today;
    await moved
      .given(() =>
        clock.set(new Date(fireInstant(addDays(contactDay, 90), 'America/Chicago') + 60_000)),
      )
      .when(swept('sweep'))
      .then(
        expectResult<SweepReport>('sweep', (report) =>
          expect(report.actions.promoted).toBeGreaterThanOrEqual(1),
        ),
        expectExit('c', () => ({ exitDate: contactDay })),
      );
  });

  it('R10: a planned gap moves the job by its days', async () => {
    const scheduled = await spec
      .given(reactorStarted())
      .when(opened('c', 60))
      .then(expectJob('soft-exit', 'c', (w) => addDays(w.daysAgo(60), 90)));
    await scheduled
      .when(
        sent('c', (_, w) => ({
          type: 'SchedulePlannedGap',
          // R10 v2: scheduled within the data-entry allowance of its start.
          data: {
            gapId: 'gap-1',
            startDate: w.daysAgo(5),
            endDate: addDays(w.today, 4),
            reason: 'HEALTH',
          },
        })),
      )
      .then(expectJob('soft-exit', 'c', (w) => addDays(w.daysAgo(60), 100)));
  });

  it('R16 v2: a pending suspension keeps the job (clocks run); closing cancels it for good', async () => {
    const scheduled = await spec
      .given(reactorStarted())
      .when(opened('c', 30))
      .then(expectJob('soft-exit', 'c', (w) => addDays(w.daysAgo(30), 90)));
    const pending = await scheduled
      .given(jobNoted('soft-exit', 'c', 'before'))
      .when(
        sent(
          'c',
          () => ({
            type: 'SuspendCase',
            data: { reason: 'CUSTOMER_WITHDREW', details: 'Customer asked to leave the program.' },
          }),
          CASE_MANAGER,
        ),
        reactorCaughtUp('c'),
      )
      .then(expectJobKept('soft-exit', 'c', 'before'));
    // Maker-checker: someone other than the requester approves.
    await pending
      .when(sent('c', () => ({ type: 'ApproveSuspension', data: {} })))
      .then(expectNoJob('soft-exit', 'c'), async ({ world: w }) =>
        expect((await w.events(caseIdOf(w, 'c'))).map((e) => e.type)).toContain('CaseClosed'),
      );
  });

  it('R12: a transfer keeps the job; to an area with a stricter standard it adds that area’s tickler (R9)', async () => {
    const dueOn = (w: DeadlineHarness) => addDays(w.daysAgo(30), 90);
    const scheduled = await spec
      .given(reactorStarted())
      .when(opened('c', 30))
      .then(expectJob('soft-exit', 'c', dueOn));
    const acrossTown = await scheduled
      .given(jobNoted('soft-exit', 'c', 'before'))
      .when(
        sent('c', () => ({
          type: 'TransferCase',
          data: {
            toCareerCenterId: 'CC-2',
            toCaseManagerId: 'cm-2',
            reason: 'Customer moved across town.',
          },
        })),
        reactorCaughtUp('c'),
      )
      .then(expectJobKept('soft-exit', 'c', 'before'));
    const toMassachusetts = await acrossTown
      .when(
        sent('c', () => ({
          type: 'TransferCase',
          data: {
            toCareerCenterId: 'MA-CC-1',
            toLocalAreaId: 'MA-DEFAULT',
            toCaseManagerId: 'cm-3',
            reason: 'Customer moved to Massachusetts.',
          },
        })),
      )
      .then(expectJob('contact-due', 'c', (w) => addDays(w.daysAgo(30), 60)));
    await toMassachusetts
      .when(reactorCaughtUp('c'))
      .then(
        expectJobData('soft-exit', 'c', (w) => ({ dueOn: dueOn(w), timeZone: 'America/New_York' })),
      );
  });

  it('R9: a passed contact-due deadline raises one auditable tickler and never exits the case', () =>
    spec
      .given(reactorStarted(), workerStarted())
      .when(opened('c', 70, { localAreaId: 'MA-DEFAULT' }))
      .then(
        expectTickler('c', 'CONTACT_DUE', (w) => addDays(w.daysAgo(70), 60)),
        expectNoJob('contact-due', 'c'),
        async ({ world: w }) => {
          const ticklers = (await w.events(caseIdOf(w, 'c'))).filter(
            (e) => e.type === 'TicklerRaised',
          );
          expect(ticklers).toHaveLength(1);
          expect(ticklers[0]?.data).toMatchObject({
            kind: 'CONTACT_DUE',
            dueOn: addDays(w.daysAgo(70), 60),
          });
        },
        expectExitCount('c', 0),
        expectJobData('soft-exit', 'c', (w) => ({ dueOn: addDays(w.daysAgo(70), 90) })),
      ));

  it('restart: the reactor resumes from its checkpoint and schedules what happened while it was down', async () => {
    const first = await spec
      .given(reactorStarted())
      .when(opened('first', 10))
      .then(expectJob('soft-exit', 'first', (w) => addDays(w.daysAgo(10), 90)));
    const whileDown = await first
      .given((w) => w.reactor.stop())
      .when(opened('second', 5))
      .then(expectNoJob('soft-exit', 'second', { now: true }));
    await whileDown
      .when((w) => w.reactor.start())
      .then(
        expectJob('soft-exit', 'second', (w) => addDays(w.daysAgo(5), 90)),
        async ({ world: w }) =>
          expect(await w.checkpoints.load(`reactor-${w.prefix}`)).toEqual(w.reactor.processedUpTo),
      );
  });

  it('R17: two workers racing on the same due case append one CaseSoftExited', () => {
    const copies = ['a', 'b', 'c', 'd'];
    // The reactor's job and a stale copy (say, from a sweep of a lagging replica), both due now.
    return spec
      .given(
        opened('c', 100),
        ...copies.map((n) => softExitJobAdded('c', (w) => addDays(w.daysAgo(100), 90), n)),
      )
      .when(
        workerStarted({ concurrency: 4 }),
        workerStarted({ concurrency: 4 }),
        jobsDone('c', ...copies),
      )
      .then(expectExitCount('c', 1));
  });

  it('R17: a worker killed mid-job: the stalled job is retried elsewhere and the effect is still one exit', async () => {
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => (started = resolve));
    // Worker A applies the command, then hangs before acknowledging (as if killed).
    const hangingWorkerStarted = as(
      'hanging',
      (w: DeadlineHarness) =>
        new Worker<DeadlineJobData, unknown, DeadlineKind>(
          'deadlines',
          async (job, token) => {
            await w.processor.process(job, token);
            started();
            await new Promise(() => undefined);
          },
          {
            connection: w.redis,
            prefix: w.prefix,
            lockDuration: 1_000,
            stalledInterval: 500,
            autorun: true,
          },
        ),
    );
    const hung = await spec
      .given(opened('c', 100), hangingWorkerStarted)
      .when(reactorStarted(), reconciled('c'), () => jobStarted)
      .then(expectExitCount('c', 1));
    // Worker B's stalled-job check finds the abandoned job and runs it again.
    await hung
      .given((w) => resultOf<Worker>(w, 'hanging').close(true))
      .when(workerStarted({ lockDuration: 1_000, stalledInterval: 500 }))
      .then(expectNoJob('soft-exit', 'c'), expectExitCount('c', 1));
  });
});
