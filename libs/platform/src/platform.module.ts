import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventStore, SqlClient } from '@caseledger/event-store';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from './config/app-config';
import { systemClock, type Clock } from './clock/clock';
import { CaseCommandExecutor } from './executor/case-command-executor';
import type { PolicyLookup } from './executor/domain-bridge';
import { IdempotencyPurger, IdempotencyStore } from './idempotency/idempotency.store';
import { CommandMetrics } from './metrics/command-metrics';
import { loadPolicyBook, lookupOf } from './policy/policies';
import { openEventStore, openSql } from './store-bridge';
import {
  APP_CONFIG,
  AREA_POLICIES,
  CLOCK,
  EVENT_STORE,
  POLICY_BOOK,
  REDIS,
  SQL_CLIENT,
} from './tokens';

export interface PlatformOptions {
  /** Defaults to `loadConfig(process.env)`; modules take their section (`config.deadlines`, …) from APP_CONFIG. */
  config?: AppConfig;
  /** Defaults to the system clock; deadline tests pass a controllable one. */
  clock?: Clock;
}

/** Closes what the platform opened, newest first, when the app shuts down. */
@Injectable()
class PlatformShutdown implements OnApplicationShutdown, OnApplicationBootstrap {
  private readonly logger = new Logger('Platform');
  private readonly purger: IdempotencyPurger;
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) clock: Clock,
    answers: IdempotencyStore,
  ) {
    this.purger = new IdempotencyPurger(answers, store, config.idempotency.retentionDays, clock);
  }

  /** Idempotency-Keys expire after IDEMPOTENCY_RETENTION_DAYS (every replica purges; it is idempotent). */
  onApplicationBootstrap(): void {
    this.purger.start(undefined, (error) =>
      this.logger.warn(`purging old Idempotency-Keys failed: ${(error as Error).message}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.purger.stop();
    for (const [name, close] of [
      ['event store', () => this.store.close()],
      ['sql', () => this.sql.close()],
      ['redis', async () => void (await this.redis.quit())],
    ] as const) {
      try {
        await close();
      } catch (error) {
        this.logger.warn(`closing ${name}: ${(error as Error).message}`);
      }
    }
  }
}

/**
 * The providers every Caseledger process shares (API, worker, all-in-one):
 * configuration, the SQL client (pg or PGlite), the event store, Redis, the
 * clock, the local areas' policies, the case command executor, the
 * Idempotency-Key store and the command metrics. Global, so feature modules
 * inject them without importing anything.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig();
    const book = loadPolicyBook(config.policiesFile);
    return {
      module: PlatformModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: POLICY_BOOK, useValue: lookupOf(book) },
        { provide: AREA_POLICIES, useValue: book },
        { provide: SQL_CLIENT, useFactory: () => openSql(config) },
        {
          provide: EVENT_STORE,
          useFactory: (sql: SqlClient) => openEventStore(config, sql),
          inject: [SQL_CLIENT],
        },
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(config.redisUrl, {
              lazyConnect: true,
              maxRetriesPerRequest: 1,
              connectTimeout: 2_000,
            }),
        },
        CommandMetrics,
        {
          provide: IdempotencyStore,
          useFactory: (sql: SqlClient) => new IdempotencyStore(sql),
          inject: [SQL_CLIENT],
        },
        {
          provide: CaseCommandExecutor,
          useFactory: (
            store: EventStore,
            policyOf: PolicyLookup,
            clock: Clock,
            metrics: CommandMetrics,
          ) =>
            new CaseCommandExecutor(store, policyOf, clock, metrics, {
              ...(config.commandStateCacheSize !== undefined
                ? { stateCacheSize: config.commandStateCacheSize }
                : {}),
            }),
          inject: [EVENT_STORE, POLICY_BOOK, CLOCK, CommandMetrics],
        },
        PlatformShutdown,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        POLICY_BOOK,
        AREA_POLICIES,
        SQL_CLIENT,
        EVENT_STORE,
        REDIS,
        CommandMetrics,
        IdempotencyStore,
        CaseCommandExecutor,
      ],
    };
  }
}
