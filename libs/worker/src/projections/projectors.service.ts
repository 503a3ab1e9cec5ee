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
  PROJECTIONS,
  Projector,
  migrateProjections,
  type ProjectionLag,
  type ProjectionLagProbe,
} from '@caseledger/projections';
import { Counter, Gauge } from 'prom-client';

/** One read model's projector and the lease that makes it the single active one among replicas. */
interface RunningProjection {
  readonly name: string;
  readonly projector: Projector;
  readonly lease: LeaderLease;
}

/**
 * Runs every read model's projector in the worker side (DESIGN.md
 * architecture: projections) — the caseload and the case search alike: each
 * subscribes from its own checkpoint under its own leader lease (one active
 * replica, standbys wait), parks what it cannot apply, and reports lag
 * (events behind the store head) to /metrics at scrape time and to /health
 * through PROJECTION_LAG_PROBE.
 */
@Injectable()
export class ProjectorsService
  implements OnApplicationBootstrap, OnModuleDestroy, ProjectionLagProbe
{
  private readonly logger = new Logger('Projectors');
  readonly running: readonly RunningProjection[];

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) store: EventStore,
    metrics: CommandMetrics,
    leases: LeaderLeases,
    @Inject(APP_CONFIG) config: AppConfig,
    parked: ParkedEvents,
  ) {
    const events = new Counter({
      name: 'caseledger_projection_events_total',
      help: 'Events applied to a read model',
      labelNames: ['projection'],
      registers: [metrics.registry],
    });
    this.running = Object.values(PROJECTIONS).map((projection) => ({
      name: projection.name,
      lease: leases.create(`projection-${projection.name}`),
      projector: new Projector(sql, store, projection, {
        batchSize: config.projections.batchSize,
        logger: { log: (m) => this.logger.log(m), error: (m, e) => this.logger.error(m, e) },
        onBatch: (result) => events.inc({ projection: projection.name }, result.applied),
        // One event it cannot apply is parked; every other case keeps updating.
        parking: { parked, consumer: projection.name },
      }),
    }));
    const lagOf = (): Promise<ProjectionLag[]> => this.lag();
    new Gauge({
      name: 'caseledger_projection_lag_events',
      help: 'Events in the store after the position a read model was built to',
      labelNames: ['projection'],
      registers: [metrics.registry],
      async collect() {
        try {
          for (const lag of await lagOf())
            this.set({ projection: lag.projection }, lag.eventsBehind);
        } catch {
          // A store that cannot be reached shows in /health; the gauge keeps its last value.
        }
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await migrateProjections(this.sql);
    for (const { name, projector, lease } of this.running) {
      lease.run({
        onAcquired: async () => {
          await projector.start();
          this.logger.log(`${name} projection running`);
        },
        onLost: () => projector.stop(),
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    // Stops each projector after its in-flight batch (checkpoint committed with it), then unlocks.
    await Promise.all(this.running.map(({ lease }) => lease.close()));
  }

  async lag(): Promise<ProjectionLag[]> {
    return Promise.all(this.running.map(({ projector }) => projector.lag()));
  }
}
