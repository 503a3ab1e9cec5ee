import { FixedClock } from '@caseledger/platform';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisUrl, uniquePrefix } from '@caseledger/testing';
import { deadlineJobId, type DeadlineJobData, type DeadlineKind } from './deadline-kind';
import { createDeadlineQueue, DeadlineScheduler, DEADLINE_QUEUE } from './deadline-queue';
import { desiredJobs, type CaseDeadlineView } from './desired-deadlines';
import { deleteKeysWithPrefix } from './testing/redis-keys';

const timeZoneOf = (): string => 'America/Chicago';
const view = (over: Partial<CaseDeadlineView> = {}): CaseDeadlineView => ({
  caseId: 'case-a',
  status: 'ACTIVE',
  localAreaId: 'MO',
  softExitDueOn: '2024-04-30',
  contactDueOn: '2024-04-30',
  followUpDueOn: null,
  ticklersRaised: [],
  ...over,
});

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

  const softExitJob = () => queue.getJob(deadlineJobId('soft-exit', 'case-a'));

  it('R8: schedules one delayed job per case, due at the start of the local day after the deadline (delay from the clock)', async () => {
    const actions = await scheduler.reconcile('case-a', desiredJobs(view(), timeZoneOf), 'reactor');
    expect(actions['soft-exit']).toBe('added');
    const job = await softExitJob();
    expect(job?.data.dueOn).toBe('2024-04-30');
    expect(await job?.getState()).toBe('delayed');
    // 2024-05-01T05:00Z (Chicago midnight, CDT) minus the clock's 2024-04-01T12:00Z.
    expect(job?.opts.delay).toBe(Date.parse('2024-05-01T05:00:00Z') - clock.now().getTime());
    expect(await queue.getJobCountByTypes('delayed')).toBe(1);
  });

  it('R8: the same deadline again keeps the job as it is', async () => {
    const before = await softExitJob();
    const actions = await scheduler.reconcile('case-a', desiredJobs(view(), timeZoneOf), 'reactor');
    expect(actions['soft-exit']).toBe('kept');
    expect((await softExitJob())?.timestamp).toBe(before?.timestamp);
  });

  it('R8: a moved deadline replaces the job under the same id', async () => {
    const moved = desiredJobs(
      view({ softExitDueOn: '2024-07-01', contactDueOn: '2024-07-01' }),
      timeZoneOf,
    );
    expect((await scheduler.reconcile('case-a', moved, 'reactor'))['soft-exit']).toBe('moved');
    expect((await softExitJob())?.data.dueOn).toBe('2024-07-01');
    expect(await queue.getJobCountByTypes('delayed')).toBe(1);
  });

  it('the sweep leaves a job that names another deadline to the reactor (the read model may lag)', async () => {
    const stale = desiredJobs(view(), timeZoneOf);
    expect((await scheduler.reconcile('case-a', stale, 'sweep'))['soft-exit']).toBe('kept');
    expect((await softExitJob())?.data.dueOn).toBe('2024-07-01');
  });

  it('the sweep promotes a delayed job whose instant the clock has passed', async () => {
    clock.set(new Date('2024-07-02T12:00:00Z'));
    const current = desiredJobs(
      view({ softExitDueOn: '2024-07-01', contactDueOn: '2024-07-01' }),
      timeZoneOf,
    );
    expect((await scheduler.reconcile('case-a', current, 'sweep'))['soft-exit']).toBe('promoted');
    expect(await (await softExitJob())?.getState()).toBe('waiting');
  });

  it('R17: a closed case, with no deadline any more, loses its job', async () => {
    const none = desiredJobs(view({ status: 'CLOSED' }), timeZoneOf);
    expect((await scheduler.reconcile('case-a', none, 'reactor'))['soft-exit']).toBe('removed');
    expect(await softExitJob()).toBeUndefined();
  });

  it('the sweep re-adds a lost job and retries a failed one', async () => {
    const desired = desiredJobs(
      view({ caseId: 'case-b', softExitDueOn: '2024-06-01', contactDueOn: '2024-06-01' }),
      timeZoneOf,
    );
    expect((await scheduler.reconcile('case-b', desired, 'sweep'))['soft-exit']).toBe('added');
    const worker = new Worker(
      DEADLINE_QUEUE,
      () => Promise.reject(new UnrecoverableError('event store down')),
      { connection: redis, prefix },
    );
    const id = deadlineJobId('soft-exit', 'case-b');
    await new Promise<void>((resolve) => worker.on('failed', (job) => job?.id === id && resolve()));
    await worker.close();
    expect(await queue.getJobCountByTypes('failed')).toBe(1);

    expect((await scheduler.reconcile('case-b', desired, 'sweep'))['soft-exit']).toBe('retried');
    expect(await (await queue.getJob(id))?.getState()).toBe('waiting');
    expect(await queue.getJobCountByTypes('failed')).toBe(0);
  });
});
