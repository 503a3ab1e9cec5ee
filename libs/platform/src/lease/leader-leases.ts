import { Global, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import type { AppConfig } from '../config/app-config';
import { CommandMetrics } from '../metrics/command-metrics';
import { APP_CONFIG } from '../tokens';
import {
  InProcessLeaderLease,
  PostgresLeaderLease,
  type LeaderLease,
  type LeaseOptions,
} from './leader-lease';

/** LEASE_RETRY_MS, read with the rest of the configuration (`config.lease`). */
export type LeaseSettings = AppConfig['lease'];

/**
 * Makes the leases of a process: PostgreSQL advisory locks when read models are
 * in PostgreSQL (DATABASE_URL; with EventStoreDB as the event store the read
 * models still are), else held in-process (PGlite). Reports
 * `caseledger_lease_held{consumer}` (1 on the active consumer, 0 on standbys).
 */
export class LeaderLeases {
  private readonly gauge: Gauge;
  private readonly leases = new Set<LeaderLease>();

  constructor(
    private readonly databaseUrl: string | undefined,
    registry: Registry,
    private readonly options: LeaseOptions = {},
  ) {
    const existing = registry.getSingleMetric('caseledger_lease_held');
    this.gauge =
      (existing as Gauge | undefined) ??
      new Gauge({
        name: 'caseledger_lease_held',
        help: 'Whether this process holds the single-consumer lease (1) or stands by (0)',
        labelNames: ['consumer'],
        registers: [registry],
      });
  }

  create(name: string): LeaderLease {
    this.gauge.set({ consumer: name }, 0);
    const options: LeaseOptions = {
      ...this.options,
      onHeldChange: (held) => this.gauge.set({ consumer: name }, held ? 1 : 0),
    };
    const lease = this.databaseUrl
      ? new PostgresLeaderLease(this.databaseUrl, name, options)
      : new InProcessLeaderLease(name, options);
    this.leases.add(lease);
    return lease;
  }

  /** Releases whatever a consumer left behind (each consumer closes its own first). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.leases].map((lease) => lease.close()));
    this.leases.clear();
  }
}

@Injectable()
class LeaseShutdown implements OnApplicationShutdown {
  constructor(private readonly leases: LeaderLeases) {}
  async onApplicationShutdown(): Promise<void> {
    await this.leases.closeAll();
  }
}

/**
 * The worker side imports this next to the global PlatformModule (whose
 * configuration and metrics registry it uses). Global, so the projections and
 * the deadline machinery inject LeaderLeases without importing it.
 */
@Global()
@Module({
  providers: [
    {
      provide: LeaderLeases,
      useFactory: (config: AppConfig, metrics: CommandMetrics) => {
        const logger = new Logger('Lease');
        return new LeaderLeases(config.databaseUrl, metrics.registry, {
          retryMs: config.lease.retryMs,
          logger: { log: (m) => logger.log(m), warn: (m) => logger.warn(m) },
        });
      },
      inject: [APP_CONFIG, CommandMetrics],
    },
    LeaseShutdown,
  ],
  exports: [LeaderLeases],
})
export class LeaseModule {}
