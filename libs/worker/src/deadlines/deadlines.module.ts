import { Global, Module } from '@nestjs/common';
import {
  CaseloadDeadlineSource,
  DEADLINE_HEALTH_PROBE,
  DeadlineHealth,
  DeadlineMetrics,
  DeadlineProcessor,
  DeadlineReactor,
  DeadlineScheduler,
  ReactorCheckpoints,
  SWEEP_QUEUE,
  createDeadlineQueue,
  deadlinesConfigOf,
  type DeadlineJobData,
  type DeadlineKind,
  type DeadlinesConfig,
  type TimeZoneOf,
} from '@caseledger/deadlines';
import { ParkedEvents, type EventStore, type SqlClient } from '@caseledger/event-store';
import {
  APP_CONFIG,
  CLOCK,
  CaseCommandExecutor,
  CommandBatcher,
  CommandMetrics,
  EVENT_STORE,
  POLICY_BOOK,
  SQL_CLIENT,
  type AppConfig,
  type Clock,
  type PolicyLookup,
} from '@caseledger/platform';
import { defaultPolicy } from '@caseledger/domain';
import { CASELOAD_TABLE } from '@caseledger/projections';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DeadlineWorkers } from './deadline-workers.service';
import {
  DEADLINES_CONFIG,
  DEADLINES_QUEUE,
  DEADLINES_REDIS,
  SWEEP_QUEUE_TOKEN,
  TIME_ZONE_OF,
} from './deadlines.tokens';

/**
 * The deadline machinery of the worker side (DESIGN.md architecture: deadlines are derived, timers are hints). It uses the platform's
 * providers (global): the event store, the SQL client, the clock, the local
 * areas' policies and the case command executor, so a job's command takes the
 * same path as the API's. Global, so the app's /health finds its probe
 * whichever module imported the worker side.
 */
@Global()
@Module({
  providers: [
    {
      provide: DEADLINES_CONFIG,
      useFactory: (config: AppConfig) => deadlinesConfigOf(config),
      inject: [APP_CONFIG],
    },
    {
      provide: DEADLINES_REDIS,
      // BullMQ workers block on Redis and must never give up a command.
      useFactory: (config: DeadlinesConfig) =>
        new Redis(config.redisUrl, { maxRetriesPerRequest: null }),
      inject: [DEADLINES_CONFIG],
    },
    {
      provide: DEADLINES_QUEUE,
      useFactory: (config: DeadlinesConfig, redis: Redis) =>
        createDeadlineQueue(redis, config.prefix, {
          attempts: config.attempts,
          backoffMs: config.backoffMs,
        }),
      inject: [DEADLINES_CONFIG, DEADLINES_REDIS],
    },
    {
      provide: SWEEP_QUEUE_TOKEN,
      useFactory: (config: DeadlinesConfig, redis: Redis) =>
        new Queue(SWEEP_QUEUE, { connection: redis, prefix: config.prefix }),
      inject: [DEADLINES_CONFIG, DEADLINES_REDIS],
    },
    {
      provide: TIME_ZONE_OF,
      useFactory:
        (policyOf: PolicyLookup): TimeZoneOf =>
        (localAreaId) =>
          // An area no longer configured (a stream opened before R2 v2) keeps the
          // statewide baseline's zone, as the command executor does.
          policyOf(localAreaId)?.timeZone ?? defaultPolicy(localAreaId).timeZone,
      inject: [POLICY_BOOK],
    },
    {
      provide: DeadlineScheduler,
      useFactory: (queue: Queue<DeadlineJobData, unknown, DeadlineKind>, clock: Clock) =>
        new DeadlineScheduler(queue, clock),
      inject: [DEADLINES_QUEUE, CLOCK],
    },
    {
      provide: DeadlineMetrics,
      useFactory: (metrics: CommandMetrics, queue: Queue, sweepQueue: Queue) =>
        new DeadlineMetrics(metrics.registry, () => [queue, sweepQueue]),
      inject: [CommandMetrics, DEADLINES_QUEUE, SWEEP_QUEUE_TOKEN],
    },
    {
      provide: DeadlineProcessor,
      // Due jobs that arrive together (a storm: every case due on one day fires
      // at local midnight) share one stream read and one group-committed append;
      // each job keeps its own verdict, retries and lateness.
      useFactory: (
        executor: CaseCommandExecutor,
        clock: Clock,
        timeZoneOf: TimeZoneOf,
        metrics: DeadlineMetrics,
        config: DeadlinesConfig,
      ) =>
        new DeadlineProcessor(
          new CommandBatcher(executor, {
            maxBatchSize: config.batchSize,
            waitMs: config.batchWaitMs,
            onBatch: (jobs) => metrics.batched(jobs),
          }),
          clock,
          timeZoneOf,
          metrics,
        ),
      inject: [CaseCommandExecutor, CLOCK, TIME_ZONE_OF, DeadlineMetrics, DEADLINES_CONFIG],
    },
    {
      provide: ReactorCheckpoints,
      useFactory: (sql: SqlClient) => new ReactorCheckpoints(sql),
      inject: [SQL_CLIENT],
    },
    {
      provide: DeadlineReactor,
      useFactory: (
        store: EventStore,
        checkpoints: ReactorCheckpoints,
        scheduler: DeadlineScheduler,
        timeZoneOf: TimeZoneOf,
        config: DeadlinesConfig,
        parked: ParkedEvents,
        sql: SqlClient,
      ) =>
        new DeadlineReactor(store, checkpoints, scheduler, timeZoneOf, {
          batchSize: config.reactorBatchSize,
          // A case it cannot derive deadlines for is parked; every other case keeps its jobs.
          parking: { parked, sql },
        }),
      inject: [
        EVENT_STORE,
        ReactorCheckpoints,
        DeadlineScheduler,
        TIME_ZONE_OF,
        DEADLINES_CONFIG,
        ParkedEvents,
        SQL_CLIENT,
      ],
    },
    {
      provide: CaseloadDeadlineSource,
      useFactory: (sql: SqlClient) => new CaseloadDeadlineSource(sql, CASELOAD_TABLE),
      inject: [SQL_CLIENT],
    },
    {
      provide: DeadlineHealth,
      useFactory: (queue: Queue, sweepQueue: Queue) =>
        new DeadlineHealth(() => [queue, sweepQueue]),
      inject: [DEADLINES_QUEUE, SWEEP_QUEUE_TOKEN],
    },
    { provide: DEADLINE_HEALTH_PROBE, useExisting: DeadlineHealth },
    DeadlineWorkers,
  ],
  exports: [
    DEADLINE_HEALTH_PROBE,
    DEADLINES_QUEUE,
    SWEEP_QUEUE_TOKEN,
    DeadlineScheduler,
    DeadlineReactor,
    DeadlineWorkers,
    DeadlineHealth,
  ],
})
export class DeadlinesModule {}
