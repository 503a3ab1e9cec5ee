import { addDays, caseStreamId } from '@caseledger/domain';
import { comparePositions } from '@caseledger/event-store';
import { FixedClock } from '@caseledger/platform';
import { Worker } from 'bullmq';
import {
  deadlineJobId,
  fireInstant,
  type DeadlineJobData,
  type DeadlineKind,
} from './deadline-kind';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';

/**
 * Issue 6 against real PostgreSQL and Redis: the reactor follows the store, the
 * processor sends commands through the platform's executor, the clock is the
 * test's. Each test has its own BullMQ prefix; the file has its own database.
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

  const job = (kind: DeadlineKind, caseId: string) => h.queue.getJob(deadlineJobId(kind, caseId));
  const jobGone = (kind: DeadlineKind, caseId: string) =>
    eventually(async () => ((await job(kind, caseId)) ? undefined : true));
  const jobDueOn = (kind: DeadlineKind, caseId: string, dueOn: string) =>
    eventually(async () => ((await job(kind, caseId))?.data.dueOn === dueOn ? true : undefined));
  /**
   * Waits until the reactor has passed the case's newest event. That event's own
   * position, not the store's head: the head stops below the oldest write in
   * flight on the whole server, so it can be short of what the test just did.
   */
  const reactorCaughtUp = async (caseId: string) => {
    const stream = await base.store.readStream(caseStreamId(caseId));
    const head = stream[stream.length - 1].position;
    await eventually(() => {
      const at = h.reactor.processedUpTo;
      return Promise.resolve(at && comparePositions(at, head) >= 0 ? true : undefined);
    });
  };
  const exited = (caseId: string) =>
    eventually(async () => ((await h.softExits(caseId)).length > 0 ? true : undefined));

  it('R8/R17: a case whose deadline passed is soft-exited exactly once, dated at its opening; a duplicate job appends nothing', async () => {
    await h.startReactorAtHead();
    h.startWorker();
    const openedOn = h.daysAgo(100);
    const caseId = await h.openCase(openedOn);

    await exited(caseId);
    await jobGone('soft-exit', caseId);
    const exits = await h.softExits(caseId);
    expect(exits).toHaveLength(1);
    expect(exits[0].data).toMatchObject({
      exitDate: openedOn,
      dueOn: addDays(openedOn, 90),
      detectedOn: h.today,
    });
    expect(exits[0].metadata.actor.staffId).toBe('system');

    // A late duplicate of the same deadline (another id, the same command id).
    const dueOn = addDays(openedOn, 90);
    const duplicate = await h.queue.add(
      'soft-exit',
      {
        caseId,
        kind: 'soft-exit',
        dueOn,
        timeZone: 'America/Chicago',
        fireAt: fireInstant(dueOn, 'America/Chicago'),
      },
      { jobId: `soft-exit-${caseId}-duplicate` },
    );
    await eventually(async () => ((await h.queue.getJob(duplicate.id!)) ? undefined : true));
    expect(await h.softExits(caseId)).toHaveLength(1);
  });

  it('R17: the exit date is the last qualifying contact, not the day the exit was detected', async () => {
    // The contact is entered on its day, 95 days ago; nobody contacts the customer again.
    const now = clock.now();
    clock.set(new Date(now.getTime() - 95 * 86_400_000));
    const contactDay = h.today;
    const caseId = await h.openCase(addDays(contactDay, -55));
    await h.enroll(caseId, addDays(contactDay, -55));
    await h.recordContact(caseId, contactDay);
    clock.set(now);

    await h.startReactorAtHead();
    await h.reactor.reconcileCase(caseId);
    h.startWorker();
    await exited(caseId);
    const exits = await h.softExits(caseId);
    expect(exits).toHaveLength(1);
    expect(exits[0].data).toMatchObject({
      exitDate: contactDay,
      dueOn: addDays(contactDay, 90),
      detectedOn: h.today,
    });
  });

  it('R8/R5: a qualifying contact moves the scheduled job and no exit happens; a non-qualifying one leaves it alone', async () => {
    await h.startReactorAtHead();
    h.startWorker();
    const caseId = await h.openCase(h.daysAgo(80));
    await h.enroll(caseId, h.daysAgo(80));
    await jobDueOn('soft-exit', caseId, h.daysAgo(80 - 90));
    const scheduled = await job('soft-exit', caseId);

    await h.recordContact(caseId, h.today, { method: 'TELEPHONE', outcome: 'NO_ANSWER' });
    // Barrier-free proof that the reactor saw the attempt: wait for its checkpoint to pass it.
    await reactorCaughtUp(caseId);
    const untouched = await job('soft-exit', caseId);
    expect(untouched?.data.dueOn).toBe(scheduled?.data.dueOn);
    expect(untouched?.timestamp).toBe(scheduled?.timestamp);

    await h.recordContact(caseId, h.today);
    await jobDueOn('soft-exit', caseId, addDays(h.today, 90));
    expect(await h.softExits(caseId)).toHaveLength(0);

    // The old deadline passes: nothing; the new one passes: exit, dated at the contact.
    const contactDay = h.today;
    clock.set(new Date(fireInstant(addDays(contactDay, 90), 'America/Chicago') + 60_000));
    await h.catchUpCaseload();
    expect((await h.sweep()).actions.promoted).toBeGreaterThanOrEqual(1);
    await exited(caseId);
    const exits = await h.softExits(caseId);
    expect(exits).toHaveLength(1);
    expect(exits[0].data).toMatchObject({ exitDate: contactDay });
  });

  it('R10: a planned gap moves the job by its days', async () => {
    await h.startReactorAtHead();
    const caseId = await h.openCase(h.daysAgo(60));
    await jobDueOn('soft-exit', caseId, addDays(h.daysAgo(60), 90));
    await h.send(caseId, {
      type: 'SchedulePlannedGap',
      // R10 v2: scheduled within the data-entry allowance of its start.
      data: {
        gapId: 'gap-1',
        startDate: h.daysAgo(5),
        endDate: addDays(h.today, 4),
        reason: 'HEALTH',
      },
    });
    await jobDueOn('soft-exit', caseId, addDays(h.daysAgo(60), 100));
  });

  it('R16 v2: a pending suspension keeps the job (clocks run); closing cancels it for good', async () => {
    await h.startReactorAtHead();
    const caseId = await h.openCase(h.daysAgo(30));
    const dueOn = addDays(h.daysAgo(30), 90);
    await jobDueOn('soft-exit', caseId, dueOn);
    const before = await job('soft-exit', caseId);

    await h.send(
      caseId,
      {
        type: 'SuspendCase',
        data: { reason: 'CUSTOMER_WITHDREW', details: 'Customer asked to leave the program.' },
      },
      CASE_MANAGER,
    );
    await reactorCaughtUp(caseId);
    const kept = await job('soft-exit', caseId);
    expect(kept?.data.dueOn).toBe(dueOn);
    expect(kept?.timestamp).toBe(before?.timestamp);
    // Maker-checker: someone other than the requester approves.
    await h.send(caseId, { type: 'ApproveSuspension', data: {} });
    await jobGone('soft-exit', caseId);
    expect((await h.events(caseId)).map((e) => e.type)).toContain('CaseClosed');
  });

  it('R12: a transfer keeps the job; to an area with a stricter standard it adds that area’s tickler (R9)', async () => {
    await h.startReactorAtHead();
    const caseId = await h.openCase(h.daysAgo(30));
    const dueOn = addDays(h.daysAgo(30), 90);
    await jobDueOn('soft-exit', caseId, dueOn);
    const before = await job('soft-exit', caseId);

    await h.send(caseId, {
      type: 'TransferCase',
      data: {
        toCareerCenterId: 'CC-2',
        toCaseManagerId: 'cm-2',
        reason: 'Customer moved across town.',
      },
    });
    await reactorCaughtUp(caseId);
    const after = await job('soft-exit', caseId);
    expect(after?.data.dueOn).toBe(dueOn);
    expect(after?.timestamp).toBe(before?.timestamp);

    await h.send(caseId, {
      type: 'TransferCase',
      data: {
        toCareerCenterId: 'MA-CC-1',
        toLocalAreaId: 'MA-DEFAULT',
        toCaseManagerId: 'cm-3',
        reason: 'Customer moved to Massachusetts.',
      },
    });
    await jobDueOn('contact-due', caseId, addDays(h.daysAgo(30), 60));
    await reactorCaughtUp(caseId);
    expect((await job('soft-exit', caseId))?.data).toMatchObject({
      dueOn,
      timeZone: 'America/New_York',
    });
  });

  it('R9: a passed contact-due deadline raises one auditable tickler and never exits the case', async () => {
    await h.startReactorAtHead();
    h.startWorker();
    const caseId = await h.openCase(h.daysAgo(70), { localAreaId: 'MA-DEFAULT' });
    await eventually(async () =>
      (await h.events(caseId)).some((e) => e.type === 'TicklerRaised') ? true : undefined,
    );
    await jobGone('contact-due', caseId);
    const ticklers = (await h.events(caseId)).filter((e) => e.type === 'TicklerRaised');
    expect(ticklers).toHaveLength(1);
    expect(ticklers[0].data).toMatchObject({
      kind: 'CONTACT_DUE',
      dueOn: addDays(h.daysAgo(70), 60),
    });
    expect(await h.softExits(caseId)).toHaveLength(0);
    expect((await job('soft-exit', caseId))?.data.dueOn).toBe(addDays(h.daysAgo(70), 90));
  });

  it('restart: the reactor resumes from its checkpoint and schedules what happened while it was down', async () => {
    await h.startReactorAtHead();
    const first = await h.openCase(h.daysAgo(10));
    await jobDueOn('soft-exit', first, addDays(h.daysAgo(10), 90));
    await h.reactor.stop();

    const second = await h.openCase(h.daysAgo(5));
    expect(await job('soft-exit', second)).toBeUndefined();
    h.reactor.start();
    await jobDueOn('soft-exit', second, addDays(h.daysAgo(5), 90));
    expect(await h.checkpoints.load(`reactor-${h.prefix}`)).toEqual(h.reactor.processedUpTo);
  });

  it('R17: two workers racing on the same due case append one CaseSoftExited', async () => {
    const caseId = await h.openCase(h.daysAgo(100));
    const dueOn = addDays(h.daysAgo(100), 90);
    const data = {
      caseId,
      kind: 'soft-exit' as const,
      dueOn,
      timeZone: 'America/Chicago',
      fireAt: fireInstant(dueOn, 'America/Chicago'),
    };
    // The reactor's job and a stale copy (say, from a sweep of a lagging replica), both due now.
    const jobs = await Promise.all(
      ['a', 'b', 'c', 'd'].map((n) =>
        h.queue.add('soft-exit', data, { jobId: `soft-exit-${caseId}-${n}` }),
      ),
    );
    h.startWorker({ concurrency: 4 });
    h.startWorker({ concurrency: 4 });
    await eventually(async () => {
      const left = await Promise.all(jobs.map((j) => h.queue.getJob(j.id!)));
      return left.every((j) => j === undefined) ? true : undefined;
    });
    expect(await h.softExits(caseId)).toHaveLength(1);
  });

  it('R17: a worker killed mid-job: the stalled job is retried elsewhere and the effect is still one exit', async () => {
    const caseId = await h.openCase(h.daysAgo(100));
    let started!: () => void;
    const jobStarted = new Promise<void>((resolve) => (started = resolve));
    // Worker A applies the command, then hangs before acknowledging (as if killed).
    const hanging = new Worker<DeadlineJobData, unknown, DeadlineKind>(
      'deadlines',
      async (job, token) => {
        await h.processor.process(job, token);
        started();
        await new Promise(() => undefined);
      },
      {
        connection: h.redis,
        prefix: h.prefix,
        lockDuration: 1_000,
        stalledInterval: 500,
        autorun: true,
      },
    );
    await h.startReactorAtHead();
    await h.reactor.reconcileCase(caseId);
    await jobStarted;
    expect(await h.softExits(caseId)).toHaveLength(1);
    await hanging.close(true);

    // Worker B's stalled-job check finds the abandoned job and runs it again.
    h.startWorker({ lockDuration: 1_000, stalledInterval: 500 });
    await jobGone('soft-exit', caseId);
    expect(await h.softExits(caseId)).toHaveLength(1);
  });
});
