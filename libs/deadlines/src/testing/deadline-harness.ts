import {
  DEFAULT_POLICIES,
  SYSTEM_ACTOR,
  addDays,
  businessDateAt,
  caseStreamId,
  type Actor,
  type BusinessDate,
  type CaseCommand,
  type Program,
} from '@caseledger/domain';
import {
  createEventStore,
  openSqlClient,
  type EventStore,
  type RecordedEvent,
  type SqlClient,
} from '@caseledger/event-store';
import {
  CaseCommandExecutor,
  CommandBatcher,
  FixedClock,
  createPolicyLookup,
  type ExecuteResult,
  type PolicyLookup,
} from '@caseledger/platform';
import {
  CASELOAD_TABLE,
  Projector,
  caseloadProjection,
  migrateProjections,
} from '@caseledger/projections';
import { Worker, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase, redisUrl, uniquePrefix } from '@caseledger/testing';
import { DEADLINE_QUEUE, DeadlineScheduler, createDeadlineQueue } from '../deadline-queue';
import type { DeadlineJobData, DeadlineKind } from '../deadline-kind';
import { DeadlineProcessor } from '../deadline-processor';
import { DeadlineReactor } from '../deadline-reactor';
import { CaseloadDeadlineSource, sweepDeadlines, type SweepReport } from '../deadline-sweep';
import type { TimeZoneOf } from '../desired-deadlines';
import { ReactorCheckpoints } from '../reactor-checkpoint';
import { deleteKeysWithPrefix } from './redis-keys';

export const AREA = 'MO-DEFAULT';
export const ADMIN: Actor = { staffId: 'admin-1', role: 'admin', careerCenterId: 'CC-1' };

/** One database per test file; everything else (queues, reactor) per test. */
export class DeadlineDatabase {
  /** The caseload read model the sweep reads, kept up to date all along. */
  readonly projector: Projector;

  private constructor(
    readonly db: TestDatabase,
    readonly sql: SqlClient,
    readonly store: EventStore,
  ) {
    this.projector = new Projector(sql, store, caseloadProjection, { retryDelayMs: 100 });
  }

  static async create(label: string): Promise<DeadlineDatabase> {
    const db = await createTestDatabase(label);
    const sql = await openSqlClient({ databaseUrl: db.url, max: 8 });
    const store = await createEventStore({ sql });
    await migrateProjections(sql);
    await new ReactorCheckpoints(sql).migrate();
    const base = new DeadlineDatabase(db, sql, store);
    await base.projector.start();
    return base;
  }

  async close(): Promise<void> {
    await this.projector.stop();
    await this.store.close();
    await this.sql.close();
    await this.db.drop();
  }
}

/**
 * The deadline machinery of one test, on its own BullMQ prefix, wired as the
 * worker wires it: the platform's command executor with a clock the test moves.
 */
export class DeadlineHarness {
  readonly prefix = uniquePrefix('deadlines');
  readonly redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
  readonly policyOf: PolicyLookup = createPolicyLookup(DEFAULT_POLICIES);
  readonly timeZoneOf: TimeZoneOf = (area) => this.policyOf(area)?.timeZone ?? 'UTC';
  readonly executor: CaseCommandExecutor;
  readonly queue;
  readonly scheduler: DeadlineScheduler;
  readonly processor: DeadlineProcessor;
  readonly checkpoints: ReactorCheckpoints;
  readonly reactor: DeadlineReactor;
  private readonly workers: Array<Worker<DeadlineJobData, unknown, DeadlineKind>> = [];

  constructor(
    readonly base: DeadlineDatabase,
    readonly clock: FixedClock,
  ) {
    this.executor = new CaseCommandExecutor(base.store, this.policyOf, clock);
    this.queue = createDeadlineQueue(this.redis, this.prefix, { attempts: 3, backoffMs: 50 });
    this.scheduler = new DeadlineScheduler(this.queue, clock);
    // As the worker wires it: due jobs that arrive together share a read and a commit.
    this.processor = new DeadlineProcessor(
      new CommandBatcher(this.executor, { maxBatchSize: 64, waitMs: 2 }),
      clock,
      this.timeZoneOf,
    );
    this.checkpoints = new ReactorCheckpoints(base.sql);
    this.reactor = new DeadlineReactor(
      base.store,
      this.checkpoints,
      this.scheduler,
      this.timeZoneOf,
      {
        name: `reactor-${this.prefix}`,
        retryDelayMs: 100,
      },
    );
  }

  get today(): BusinessDate {
    return businessDateAt(this.clock.now(), this.timeZoneOf(AREA));
  }

  /** Starts the reactor at the head of the store: earlier tests' cases are not this test's. */
  async startReactorAtHead(): Promise<void> {
    const head = await this.base.store.headPosition();
    if (head) await this.checkpoints.save(`reactor-${this.prefix}`, head);
    this.reactor.start();
  }

  startWorker(
    options: Partial<WorkerOptions> = {},
  ): Worker<DeadlineJobData, unknown, DeadlineKind> {
    const worker = new Worker<DeadlineJobData, unknown, DeadlineKind>(
      DEADLINE_QUEUE,
      (job, token) => this.processor.process(job, token),
      { connection: this.redis, prefix: this.prefix, concurrency: 8, ...options },
    );
    this.workers.push(worker);
    return worker;
  }

  sweep(): Promise<SweepReport> {
    return sweepDeadlines(
      new CaseloadDeadlineSource(this.base.sql, CASELOAD_TABLE),
      this.scheduler,
      this.timeZoneOf,
    );
  }

  /** Resolves once the caseload has applied everything in the store now. */
  catchUpCaseload(): Promise<void> {
    return this.base.projector.waitUntilCaughtUp();
  }

  send(caseId: string, command: CaseCommand, actor: Actor = ADMIN): Promise<ExecuteResult> {
    return this.executor.execute({
      caseId,
      command,
      actor,
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
  }

  async openCase(
    openedOn: BusinessDate,
    over: { caseId?: string; localAreaId?: string; program?: Program } = {},
  ): Promise<string> {
    const caseId = over.caseId ?? randomUUID();
    await this.send(caseId, {
      type: 'OpenCase',
      data: {
        caseId,
        customer: { id: `cust-${caseId}`, firstName: 'Ada', lastName: 'Byron' },
        program: over.program ?? 'WIOA_ADULT',
        careerCenterId: 'CC-1',
        localAreaId: over.localAreaId ?? AREA,
        caseManagerId: 'cm-1',
        openedOn,
      },
    });
    return caseId;
  }

  async enroll(caseId: string, startDate: BusinessDate): Promise<void> {
    await this.send(caseId, {
      type: 'EnrollInActivity',
      data: {
        enrollmentId: randomUUID(),
        activityType: 'JOB_SEARCH',
        activityName: 'Guided job search',
        startDate,
      },
    });
  }

  recordContact(
    caseId: string,
    occurredOn: BusinessDate,
    how: { method?: 'IN_PERSON' | 'TELEPHONE'; outcome?: 'REACHED' | 'NO_ANSWER' } = {},
  ): Promise<ExecuteResult> {
    return this.send(caseId, {
      type: 'RecordContact',
      data: {
        contactId: randomUUID(),
        method: how.method ?? 'IN_PERSON',
        party: 'CUSTOMER',
        outcome: how.outcome ?? 'REACHED',
        occurredOn,
        progress: 'Attending every class, on track for the certificate.',
        justification: 'Training continues; services remain necessary to finish it.',
      },
    });
  }

  events(caseId: string): Promise<RecordedEvent[]> {
    return this.base.store.readStream(caseStreamId(caseId));
  }

  async softExits(caseId: string): Promise<RecordedEvent[]> {
    return (await this.events(caseId)).filter((e) => e.type === 'CaseSoftExited');
  }

  daysAgo(days: number): BusinessDate {
    return addDays(this.today, -days);
  }

  /** Forgets every BullMQ key of this test (what FLUSHALL does to a dedicated Redis). */
  loseRedis(): Promise<number> {
    return deleteKeysWithPrefix(this.redis, this.prefix);
  }

  async close(): Promise<void> {
    await this.reactor.stop();
    await Promise.all(this.workers.map((w) => w.close(true)));
    await this.queue.close();
    await deleteKeysWithPrefix(this.redis, this.prefix);
    await this.redis.quit();
  }
}

export { SYSTEM_ACTOR };

/** Polls `probe` until it returns a value that is not undefined (no timed assertions: jest's timeout bounds it). */
export async function eventually<T>(probe: () => Promise<T | undefined>, everyMs = 25): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
