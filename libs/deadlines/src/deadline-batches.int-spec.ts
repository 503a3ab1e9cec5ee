import { addDays, type BusinessDate } from '@caseledger/domain';
import {
  EventStoreUnavailableError,
  PostgresEventStore,
  openSqlClient,
  type EventStore,
  type QueryResult,
  type SqlClient,
  type SqlExecutor,
} from '@caseledger/event-store';
import { CaseCommandExecutor, CommandBatcher, FixedClock } from '@caseledger/platform';
import { DelayedError, Worker, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  deadlineJobId,
  fireInstant,
  type DeadlineJobData,
  type DeadlineKind,
} from './deadline-kind';
import { DEADLINE_QUEUE } from './deadline-queue';
import { DeadlineProcessor, type DeadlineObserver } from './deadline-processor';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';

const ZONE = 'America/Chicago';

/**
 * The SQL client a store under test runs on, counting what reaches the
 * database: stream reads (one statement each, whether one stream or many)
 * and transactions (group commit writes a batch of appends in one).
 */
class CountingSql implements SqlClient {
  readonly dialect: SqlClient['dialect'];
  streamReads = 0;
  transactions = 0;

  constructor(private readonly inner: SqlClient) {
    this.dialect = inner.dialect;
  }

  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
  ): Promise<QueryResult<Row>> {
    if (/FROM es_events WHERE stream_id/.test(text)) this.streamReads += 1;
    return this.inner.query<Row>(text, params);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.transactions += 1;
    return this.inner.transaction(work);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  reset(): void {
    this.streamReads = 0;
    this.transactions = 0;
  }
}

/**
 * Due deadline jobs taken in batches (CommandBatcher in front of the
 * executor, as the worker wires it), against real PostgreSQL and Redis: a
 * batch's cases are read in one statement and their events written in one
 * transaction, and still every job gets its own verdict. The first two tests
 * take their jobs from BullMQ by hand (a worker's `getNextJob`, with its
 * lock tokens), so the batch is exactly the jobs taken; the third runs a
 * BullMQ worker.
 */
describe('deadline jobs in batches (PostgreSQL, Redis)', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  let clock: FixedClock;
  let sql: CountingSql;
  let store: PostgresEventStore;
  let batches: number[];
  const workers: Array<Worker<DeadlineJobData, unknown, DeadlineKind>> = [];

  beforeAll(async () => {
    base = await DeadlineDatabase.create('deadline_batches');
  });
  afterAll(async () => {
    await base.close();
  });
  beforeEach(async () => {
    // Noon in the areas' zones, so the local dates are unambiguous.
    clock = new FixedClock(new Date('2025-06-16T17:00:00Z'));
    h = new DeadlineHarness(base, clock);
    // A worker process of its own on the same database: its own pool, store and (empty) fold cache.
    sql = new CountingSql(await openSqlClient({ databaseUrl: base.db.url, max: 4 }));
    store = await PostgresEventStore.create(sql);
    batches = [];
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close(true)));
    await h.close();
    await store.close();
    await sql.close();
  });

  /** A processor over `over` (default: the counted store) with a fresh executor. */
  function processorOver(over: EventStore = store, observer?: DeadlineObserver): DeadlineProcessor {
    const executor = new CaseCommandExecutor(over, h.policyOf, clock);
    return new DeadlineProcessor(
      new CommandBatcher(executor, {
        maxBatchSize: 64,
        waitMs: 2,
        onBatch: (jobs) => batches.push(jobs),
      }),
      clock,
      h.timeZoneOf,
      observer,
    );
  }

  /** Cases opened `days` ago and more (never contacted): their soft exits are due now. */
  function dueCases(
    count: number,
    days = 100,
  ): Promise<Array<{ caseId: string; openedOn: BusinessDate }>> {
    return Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const openedOn = h.daysAgo(days + i);
        return { caseId: await h.openCase(openedOn), openedOn };
      }),
    );
  }

  function jobData(
    kind: DeadlineKind,
    caseId: string,
    dueOn: BusinessDate,
    timeZone = ZONE,
  ): DeadlineJobData {
    return { caseId, kind, dueOn, timeZone, fireAt: fireInstant(dueOn, timeZone) };
  }

  function addJob(
    data: DeadlineJobData,
    opts: { attempts?: number } = {},
  ): Promise<Job<DeadlineJobData, unknown, DeadlineKind>> {
    return h.queue.add(data.kind, data, {
      jobId: deadlineJobId(data.kind, data.caseId),
      ...(opts.attempts ? { attempts: opts.attempts, backoff: { type: 'fixed', delay: 20 } } : {}),
    });
  }

  /** Takes `count` waiting jobs as a worker does (each active, under its own lock token). */
  async function takeJobs(
    count: number,
  ): Promise<Array<{ job: Job<DeadlineJobData, unknown, DeadlineKind>; token: string }>> {
    const taker = new Worker<DeadlineJobData, unknown, DeadlineKind>(DEADLINE_QUEUE, null, {
      connection: h.redis,
      prefix: h.prefix,
      autorun: false,
    });
    workers.push(taker);
    const taken = [];
    for (let i = 0; i < count; i++) {
      const token = randomUUID();
      const job: Job<DeadlineJobData, unknown, DeadlineKind> | undefined =
        await taker.getNextJob(token);
      if (!job) throw new Error(`only ${i} of ${count} jobs were waiting`);
      taken.push({ job, token });
    }
    return taken;
  }

  /** Each job's outcome, or what it threw. */
  const settle = (promises: Array<Promise<unknown>>) =>
    Promise.all(
      promises.map((p) =>
        p.then(
          (v) => v,
          (error: unknown) => error,
        ),
      ),
    );

  const dueOnOf = (openedOn: BusinessDate) => addDays(openedOn, 90);

  it('R8/R17: a batch of soft exits over twelve cases costs one stream read and one transaction; each exit is dated at its opening', async () => {
    const cases = await dueCases(12);
    for (const c of cases) await addJob(jobData('soft-exit', c.caseId, dueOnOf(c.openedOn)));
    const taken = await takeJobs(cases.length);
    const processor = processorOver();
    sql.reset();

    const outcomes = await Promise.all(
      taken.map(({ job, token }) => processor.process(job, token)),
    );

    expect(outcomes).toEqual(cases.map(() => 'appended'));
    expect(batches).toEqual([12]);
    expect(sql.streamReads).toBe(1);
    expect(sql.transactions).toBe(1);
    const exits = await Promise.all(cases.map((c) => h.softExits(c.caseId)));
    cases.forEach((c, i) => {
      expect(exits[i]).toHaveLength(1);
      // R17 (v2): the exit date is the last day of service, here the opening.
      expect(exits[i][0].data).toMatchObject({ exitDate: c.openedOn, dueOn: dueOnOf(c.openedOn) });
    });
    // One group commit: every exit carries that transaction's id.
    expect(new Set(exits.map(([exit]) => exit.position.commit)).size).toBe(1);
  });

  it('R9/R17: in one batch, a tickler whose case moved on meanwhile and a job for a missing case get their own verdicts; the others exit', async () => {
    const cases = await dueCases(5);
    // R9: an MA case 70 days without contact is contact-overdue (60 days), not yet due to exit.
    const ma = await h.openCase(h.daysAgo(70), { localAreaId: 'MA-DEFAULT' });
    await h.enroll(ma, h.daysAgo(70));
    const maDue = addDays(h.daysAgo(70), 60);
    const missing = randomUUID();
    for (const c of cases) await addJob(jobData('soft-exit', c.caseId, dueOnOf(c.openedOn)));
    await addJob(jobData('contact-due', ma, maDue, 'America/New_York'));
    await addJob(jobData('soft-exit', missing, dueOnOf(h.daysAgo(100))));

    // A case manager records a contact on the MA case (through the API's own
    // executor and store) between this batch's read and its append.
    let contacted = false;
    const racing = new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'readStreams') return Reflect.get(target, key, receiver) as unknown;
        return async (ids: readonly string[]) => {
          const read = await target.readStreams(ids);
          if (!contacted) {
            contacted = true;
            await h.recordContact(ma, h.today);
          }
          return read;
        };
      },
    });
    const refused: string[] = [];
    const processor = processorOver(racing, {
      fired: () => undefined,
      handled: () => undefined,
      refused: (job) => refused.push(job.caseId),
    });
    const taken = await takeJobs(cases.length + 2);
    sql.reset();

    const outcomes = await settle(taken.map(({ job, token }) => processor.process(job, token)));

    expect(contacted).toBe(true);
    expect(batches).toEqual([7]);
    const byCase = new Map(taken.map(({ job }, i) => [job.data.caseId, outcomes[i]]));
    for (const c of cases) expect(byCase.get(c.caseId)).toBe('appended');
    expect(byCase.get(missing)).toBe('refused');
    expect(refused).toEqual([missing]);
    // The MA append conflicted alone; re-read and decided again, the contact
    // left nothing to raise, and the job follows the moved deadline (R9).
    expect(byCase.get(ma)).toBeInstanceOf(DelayedError);
    const maJob = await h.queue.getJob(deadlineJobId('contact-due', ma));
    expect(maJob?.data.dueOn).toBe(addDays(h.today, 60));
    expect(await maJob?.getState()).toBe('delayed');
    expect((await h.events(ma)).map((e) => e.type)).toEqual([
      'CaseOpened',
      'ActivityEnrolled',
      'ContactRecorded',
    ]);
    // The batch's read, then the MA case's own re-read after its conflict.
    expect(sql.streamReads).toBe(2);
    expect(sql.transactions).toBe(1);
    const exits = await Promise.all(cases.map((c) => h.softExits(c.caseId)));
    for (const exit of exits) expect(exit).toHaveLength(1);
    expect(new Set(exits.map(([exit]) => exit.position.commit)).size).toBe(1);
  });

  it('R17: retries stay safe through a BullMQ worker: a failed batch read and appends whose answers were lost end in one exit per case', async () => {
    const cases = await dueCases(10);
    let readFailures = 0;
    const answered = new Set<string>();
    const flaky = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'readStreams')
          return (ids: readonly string[]) => {
            if (readFailures === 0) {
              readFailures += 1;
              return Promise.reject(
                new EventStoreUnavailableError('event store unavailable: connection reset'),
              );
            }
            return target.readStreams(ids);
          };
        if (key === 'append')
          return async (...args: Parameters<EventStore['append']>) => {
            const result = await target.append(...args);
            // Committed, but the answer never reaches the worker (a connection lost after COMMIT).
            if (!answered.has(args[0])) {
              answered.add(args[0]);
              throw new Error('connection lost after COMMIT');
            }
            return result;
          };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const processor = processorOver(flaky);
    let failedAttempts = 0;
    const worker = new Worker<DeadlineJobData, unknown, DeadlineKind>(
      DEADLINE_QUEUE,
      (job, token) => processor.process(job, token),
      { connection: h.redis, prefix: h.prefix, concurrency: 16 },
    );
    worker.on('failed', () => {
      failedAttempts += 1;
    });
    workers.push(worker);

    for (const c of cases)
      await addJob(jobData('soft-exit', c.caseId, dueOnOf(c.openedOn)), { attempts: 5 });
    await eventually(async () => {
      const left = await Promise.all(
        cases.map((c) => h.queue.getJob(deadlineJobId('soft-exit', c.caseId))),
      );
      return left.every((job) => job === undefined) ? true : undefined;
    });

    expect(readFailures).toBe(1);
    expect(answered.size).toBe(cases.length);
    // Every job failed at least once (its answer was lost), none for good.
    expect(failedAttempts).toBeGreaterThanOrEqual(cases.length);
    expect(await h.queue.getJobCountByTypes('failed')).toBe(0);
    for (const c of cases) {
      const exits = await h.softExits(c.caseId);
      expect(exits).toHaveLength(1);
      expect(exits[0].data).toMatchObject({ exitDate: c.openedOn });
    }
  });
});
