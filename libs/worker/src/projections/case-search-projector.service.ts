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
  EVENT_STORE,
  LeaderLeases,
  SQL_CLIENT,
  type AppConfig,
  type LeaderLease,
} from '@caseledger/platform';
import {
  Projector,
  caseSearchProjection,
  migrateProjections,
  type ProjectionLag,
} from '@caseledger/projections';

/**
 * Runs the case-search projector (DESIGN.md "Additions": finding cases) beside
 * the caseload's, the same way: its own checkpoint, its own leader lease (one
 * active replica), parking what it cannot apply.
 */
@Injectable()
export class CaseSearchProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CaseSearchProjector');
  readonly projector: Projector;
  readonly lease: LeaderLease;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) store: EventStore,
    leases: LeaderLeases,
    @Inject(APP_CONFIG) config: AppConfig,
    parked: ParkedEvents,
  ) {
    this.lease = leases.create('projection-case-search');
    this.projector = new Projector(sql, store, caseSearchProjection, {
      batchSize: config.projections.batchSize,
      logger: { log: (m) => this.logger.log(m), error: (m, e) => this.logger.error(m, e) },
      parking: { parked, consumer: caseSearchProjection.name },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await migrateProjections(this.sql);
    this.lease.run({
      onAcquired: async () => {
        await this.projector.start();
        this.logger.log('case-search projection running');
      },
      onLost: () => this.projector.stop(),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.lease.close();
  }

  async lag(): Promise<ProjectionLag> {
    return this.projector.lag();
  }
}
