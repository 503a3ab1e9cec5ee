import { date } from '@caseledger/domain/testing';
import { FixedClock } from '@caseledger/platform';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  as,
  expectResult,
  redisUrl,
  specification,
  uniquePrefix,
  type Expectation,
  type Step,
} from '@caseledger/testing';
import { deadlineJobId, type DeadlineJobData, type DeadlineKind } from './deadline-kind';
import { createDeadlineQueue, DeadlineScheduler, DEADLINE_QUEUE } from './deadline-queue';

type ReconcileActions = Awaited<ReturnType<DeadlineScheduler['reconcile']>>;
import { desiredJobs, type CaseDeadlineView } from './desired-deadlines';
import { deleteKeysWithPrefix } from './testing/redis-keys';

const timeZoneOf = (): string => 'America/Chicago';
const view = (over: Partial<CaseDeadlineView> = {}): CaseDeadlineView => ({
  caseId: 'case-a',
  status: 'ACTIVE',
  localAreaId: 'MO',
  softExitDueOn: date('2024-04-30'),
  contactDueOn: date('2024-04-30'),
  followUpDueOn: null,
  ticklersRaised: [],
  ...over,
});

/**
 * Given the queue as the earlier tests left it (they share case-a, in order),
 * when the scheduler reconciles a case's desired jobs, then the action it took
 * and the job it left. `before` is case-a's soft-exit job before the when step.
 */
describe('DeadlineScheduler against real Redis', () => {
  const prefix = uniquePrefix('dlq');
  const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  const clock = new FixedClock(new Date('2024-04-01T12:00:00Z'));
  let queue: Queue<DeadlineJobData, unknown, DeadlineKind>;
  let scheduler: DeadlineScheduler;

  beforeAll(() => {
    queue = createDeadlineQueue(redis, prefix, { attempts: 1, backoffMs: 10 });
    scheduler = new DeadlineScheduler(queue, clock);
  });

  afterAll(async () => {
    await queue.close();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  type SoftExitJob = Job<DeadlineJobData, unknown, DeadlineKind> | undefined;
  type World = object;
  const softExitJob = (caseId = 'case-a'): Promise<SoftExitJob> =>
    queue.getJob(deadlineJobId('soft-exit', caseId));
  const spec = specification<World, SoftExitJob>(
    () => ({}),
    () => softExitJob(),
  );

  /** The scheduler reconciles the case's desired jobs, as the reactor or the sweep. */
  const reconciled = (
    by: 'reactor' | 'sweep',
    over: Partial<CaseDeadlineView> = {},
    label = 'actions',
  ): Step<World> =>
    as(label, () =>
      scheduler.reconcile(over.caseId ?? 'case-a', desiredJobs(view(over), timeZoneOf), by),
    );
  const expectAction = (action: string, label = 'actions'): Expectation<World, SoftExitJob> =>
    expectResult<ReconcileActions>(label, (actions) => expect(actions['soft-exit']).toBe(action));
  const expectDueOn =
    (dueOn: string): Expectation<World, SoftExitJob> =>
    async () =>
      expect((await softExitJob())?.data.dueOn).toBe(dueOn);
  const expectState =
    (state: string, caseId = 'case-a'): Expectation<World, SoftExitJob> =>
    async () =>
      expect(await (await softExitJob(caseId))?.getState()).toBe(state);
  const expectCount =
    (type: 'delayed' | 'failed', count: number): Expectation<World, SoftExitJob> =>
    async () =>
      expect(await queue.getJobCountByTypes(type)).toBe(count);
  const moved = { softExitDueOn: date('2024-07-01'), contactDueOn: date('2024-07-01') };

  it('R8: schedules one delayed job per case, due at the start of the local day after the deadline (delay from the clock)', () =>
    spec
      .given()
      .when(reconciled('reactor'))
      .then(
        expectAction('added'),
        expectDueOn('2024-04-30'),
        expectState('delayed'),
        // 2024-05-01T05:00Z (Chicago midnight, CDT) minus the clock's 2024-04-01T12:00Z.
        async () =>
          expect((await softExitJob())?.opts.delay).toBe(
            Date.parse('2024-05-01T05:00:00Z') - clock.now().getTime(),
          ),
        expectCount('delayed', 1),
      ));

  it('R8: the same deadline again keeps the job as it is', () =>
    spec
      .given()
      .when(reconciled('reactor'))
      .then(expectAction('kept'), async ({ before }) =>
        expect((await softExitJob())?.timestamp).toBe(before?.timestamp),
      ));

  it('R8: a moved deadline replaces the job under the same id', () =>
    spec
      .given()
      .when(reconciled('reactor', moved))
      .then(expectAction('moved'), expectDueOn('2024-07-01'), expectCount('delayed', 1)));

  it('the sweep leaves a job that names another deadline to the reactor (the read model may lag)', () =>
    spec.given().when(reconciled('sweep')).then(expectAction('kept'), expectDueOn('2024-07-01')));

  it('the sweep promotes a delayed job whose instant the clock has passed', () =>
    spec
      .given(() => clock.set(new Date('2024-07-02T12:00:00Z')))
      .when(reconciled('sweep', moved))
      .then(expectAction('promoted'), expectState('waiting')));

  it('R17: a closed case, with no deadline any more, loses its job', () =>
    spec
      .given()
      .when(reconciled('reactor', { status: 'CLOSED' }))
      .then(expectAction('removed'), async () => expect(await softExitJob()).toBeUndefined()));

  it('the sweep re-adds a lost job and retries a failed one', async () => {
    const caseB = {
      caseId: 'case-b',
      softExitDueOn: date('2024-06-01'),
      contactDueOn: date('2024-06-01'),
    };
    const jobFailedOnce: Step<World> = async () => {
      const worker = new Worker(
        DEADLINE_QUEUE,
        () => Promise.reject(new UnrecoverableError('event store down')),
        { connection: redis, prefix },
      );
      const id = deadlineJobId('soft-exit', 'case-b');
      await new Promise<void>((resolve) =>
        worker.on('failed', (job) => job?.id === id && resolve()),
      );
      await worker.close();
    };
    const failed = await spec
      .given(reconciled('sweep', caseB, 'added'))
      .when(jobFailedOnce)
      .then(expectAction('added', 'added'), expectCount('failed', 1));
    await failed
      .when(reconciled('sweep', caseB, 'retried'))
      .then(
        expectAction('retried', 'retried'),
        expectState('waiting', 'case-b'),
        expectCount('failed', 0),
      );
  });
});
