import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ParkedEvents, type EventStore, type SqlClient } from '@caseledger/event-store';
import {
  APP_CONFIG,
  CommandMetrics,
  EVENT_STORE,
  LeaderLeases,
  SQL_CLIENT,
  type AppConfig,
  type LeaderLease,
} from '@caseledger/platform';
import {
  Projector,
  caseloadProjection,
  migrateProjections,
  type ProjectionLag,
  type ProjectionLagProbe,
} from '@caseledger/projections';
import { Counter, Gauge } from 'prom-client';

/**
 * Runs the caseload projector in the worker side (DESIGN.md architecture: projections): subscribes from its
 * checkpoint, applies batches, and reports lag (events behind the store head)
 * to /metrics at scrape time and to /health through PROJECTION_LAG_PROBE.
 */
@Injectable()
export class CaseloadProjectorService
  implements OnApplicationBootstrap, OnModuleDestroy, ProjectionLagProbe
{
  private readonly logger = new Logger('CaseloadProjector');
  readonly projector: Projector;
  /** Issue 7: one active projector among replicas; standbys wait for the lease. */
  readonly lease: LeaderLease;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) store: EventStore,
    metrics: CommandMetrics,
    leases: LeaderLeases,
    @Inject(APP_CONFIG) config: AppConfig,
    parked: ParkedEvents,
  ) {
    this.lease = leases.create('projection-caseload');
    const events = new Counter({
      name: 'caseledger_projection_events_total',
      help: 'Events applied to a read model',
      labelNames: ['projection'],
      registers: [metrics.registry],
    });
    this.projector = new Projector(sql, store, caseloadProjection, {
      batchSize: config.projections.batchSize,
      logger: { log: (m) => this.logger.log(m), error: (m, e) => this.logger.error(m, e) },
      onBatch: (result) => events.inc({ projection: caseloadProjection.name }, result.applied),
      // One event it cannot apply is parked; every other case keeps updating.
      parking: { parked, consumer: caseloadProjection.name },
    });
    const lagOf = (): Promise<ProjectionLag[]> => this.lag();
    new Gauge({
      name: 'caseledger_projection_lag_events',
      help: 'Events in the store after the position a read model was built to',
      labelNames: ['projection'],
      registers: [metrics.registry],
      async collect() {
        try {
          const [lag] = await lagOf();
          if (lag) this.set({ projection: lag.projection }, lag.eventsBehind);
        } catch {
          // A store that cannot be reached shows in /health; the gauge keeps its last value.
        }
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await migrateProjections(this.sql);
    this.lease.run({
      onAcquired: async () => {
        await this.projector.start();
        this.logger.log('caseload projection running');
      },
      onLost: () => this.projector.stop(),
    });
  }

  async onModuleDestroy(): Promise<void> {
    // Stops the projector after its in-flight batch (checkpoint committed with it), then unlocks.
    await this.lease.close();
  }

  async lag(): Promise<ProjectionLag[]> {
    return [await this.projector.lag()];
  }
}
