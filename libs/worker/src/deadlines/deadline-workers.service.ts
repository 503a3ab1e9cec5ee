import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  CaseloadDeadlineSource,
  DEADLINE_QUEUE,
  DeadlineProcessor,
  DeadlineReactor,
  DeadlineScheduler,
  ReactorCheckpoints,
  SWEEP_QUEUE,
  sweepDeadlines,
  type DeadlineJobData,
  type DeadlineKind,
  type DeadlinesConfig,
  type TimeZoneOf,
} from '@caseledger/deadlines';
import { LeaderLeases, type LeaderLease } from '@caseledger/platform';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  DEADLINES_CONFIG,
  DEADLINES_QUEUE,
  DEADLINES_REDIS,
  SWEEP_QUEUE_TOKEN,
  TIME_ZONE_OF,
} from './deadlines.tokens';

export const SWEEP_SCHEDULER_ID = 'deadline-sweep';

/** The longest wait before a wiped Redis is noticed (shorter when the sweep runs more often). */
const REDIS_CHECK_MAX_MS = 10_000;

/**
 * Runs the deadline machinery in a worker process: the reactor (events → delayed
 * jobs), the BullMQ worker that sends each due job's command, and the sweep
 * (a BullMQ job scheduler, plus one sweep at start). Everything stops, in order, before
 * the platform closes the store and SQL client (onModuleDestroy runs first).
 */
@Injectable()
export class DeadlineWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Deadlines');
  private deadlineWorker: Worker<DeadlineJobData, unknown, DeadlineKind> | undefined;
  private sweepWorker: Worker | undefined;
  private redisTimer: NodeJS.Timeout | undefined;
  private onReady: (() => void) | undefined;
  private checking = false;
  private stopping = false;
  /** One active reactor among replicas; the job processors scale out. */
  readonly reactorLease: LeaderLease;

  constructor(
    @Inject(DEADLINES_CONFIG) private readonly config: DeadlinesConfig,
    @Inject(DEADLINES_REDIS) private readonly redis: Redis,
    @Inject(DEADLINES_QUEUE) private readonly queue: Queue,
    @Inject(SWEEP_QUEUE_TOKEN) private readonly sweepQueue: Queue,
    @Inject(TIME_ZONE_OF) private readonly timeZoneOf: TimeZoneOf,
    private readonly scheduler: DeadlineScheduler,
    private readonly processor: DeadlineProcessor,
    private readonly reactor: DeadlineReactor,
    private readonly checkpoints: ReactorCheckpoints,
    private readonly source: CaseloadDeadlineSource,
    leases: LeaderLeases,
  ) {
    this.reactorLease = leases.create('deadline-reactor');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.migrate();
    const { prefix, concurrency, lockDurationMs, stalledIntervalMs } = this.config;
    this.deadlineWorker = new Worker<DeadlineJobData, unknown, DeadlineKind>(
      DEADLINE_QUEUE,
      (job, token) => this.processor.process(job, token),
      {
        connection: this.redis,
        prefix,
        concurrency,
        lockDuration: lockDurationMs,
        stalledInterval: stalledIntervalMs,
      },
    );
    this.deadlineWorker.on('failed', (job, error) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1))
        this.logger.error(
          `deadline job ${job.id} failed for good (a sweep retries it): ${error.message}`,
        );
    });
    this.deadlineWorker.on('error', (error) =>
      this.logger.error(`deadline worker: ${error.message}`),
    );

    this.sweepWorker = new Worker(SWEEP_QUEUE, () => this.sweep(), {
      connection: this.redis,
      prefix,
      concurrency: 1,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
    });
    this.sweepWorker.on('error', (error) => this.logger.error(`sweep worker: ${error.message}`));

    await this.assertScheduler();
    // The sweep also runs once at start, so a Redis that lost its jobs is refilled now.
    await this.sweepQueue.add('sweep', {}, { removeOnComplete: true, removeOnFail: 100 });
    await this.redis.set(this.markerKey, String(Date.now()));
    // A Redis that restarted empty, failed over to an empty replica or was
    // flushed keeps this process connected (or reconnects it) with none of its
    // jobs, the sweep's scheduler included: nothing would run again until a
    // restart. So on every (re)connect and at an interval the scheduler is
    // re-asserted, and a missing marker key means the queue was wiped: every
    // deadline is re-derived at once.
    this.onReady = () => void this.checkRedis('reconnected');
    this.redis.on('ready', this.onReady);
    this.redisTimer = setInterval(
      () => void this.checkRedis('interval'),
      Math.min(this.config.sweepEveryMs, REDIS_CHECK_MAX_MS),
    );
    this.redisTimer.unref();
    this.reactorLease.run({
      onAcquired: () => Promise.resolve(this.reactor.start()),
      onLost: () => this.reactor.stop(),
    });
    this.logger.log(
      `deadline reactor (while this process holds its lease), worker (concurrency ${concurrency}, batches of up to ${this.config.batchSize} jobs) and sweep every ${this.config.sweepEveryMs} ms started (prefix ${prefix})`,
    );
  }

  /** Under the queue prefix, so it goes wherever the queue's keys go (a flush, a failover). */
  get markerKey(): string {
    return `${this.config.prefix}:caseledger:redis-marker`;
  }

  private assertScheduler(): Promise<unknown> {
    return this.sweepQueue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { every: this.config.sweepEveryMs },
      { name: 'sweep', opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }

  /** Re-asserts the sweep's scheduler; when the marker is gone, Redis lost everything: sweep now. */
  async checkRedis(why: string): Promise<void> {
    if (this.checking || this.stopping) return;
    this.checking = true;
    try {
      await this.assertScheduler();
      // NX: only one replica of many re-derives after a wipe.
      const wiped = (await this.redis.set(this.markerKey, String(Date.now()), 'NX')) === 'OK';
      if (!wiped) return;
      this.logger.warn(
        `Redis lost the deadline queue (${why}: its marker key was gone); re-deriving every deadline now`,
      );
      this.reactor.forgetJobs();
      await this.sweepQueue.add('sweep', {}, { removeOnComplete: true, removeOnFail: 100 });
    } catch (error) {
      // Redis down: the next (re)connect or interval tries again.
      this.logger.warn(`Redis check (${why}) failed: ${(error as Error).message}`);
    } finally {
      this.checking = false;
    }
  }

  async sweep(): Promise<unknown> {
    const report = await sweepDeadlines(this.source, this.scheduler, this.timeZoneOf);
    const { added, promoted, retried } = report.actions;
    if (added + promoted + retried > 0)
      this.logger.warn(
        `sweep of ${report.cases} open cases re-enqueued deadlines: ${added} added, ${promoted} promoted, ${retried} retried`,
      );
    return report;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearInterval(this.redisTimer);
    if (this.onReady) this.redis.off('ready', this.onReady);
    await this.reactorLease.close();
    await Promise.all([this.deadlineWorker?.close(), this.sweepWorker?.close()]);
    await Promise.all([this.queue.close(), this.sweepQueue.close()]);
    await this.redis.quit().catch(() => undefined);
  }
}
