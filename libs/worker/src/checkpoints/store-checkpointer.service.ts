import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  Checkpointer,
  openCheckpointStore,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import {
  APP_CONFIG,
  EVENT_STORE,
  LeaderLeases,
  SQL_CLIENT,
  loadCheckpointKeys,
  type AppConfig,
  type LeaderLease,
} from '@caseledger/platform';

/**
 * Signs store checkpoints on the worker side (DESIGN.md "Evidence an outsider
 * can check"): one signer among replicas (the `store-checkpointer` lease); a
 * process without the private key does not sign.
 */
@Injectable()
export class StoreCheckpointerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('StoreCheckpointer');
  private checkpointer: Checkpointer | undefined;
  private lease: LeaderLease | undefined;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly leases: LeaderLeases,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { signer } = loadCheckpointKeys(this.config);
    if (!signer) {
      this.logger.warn(
        'no checkpoint signing key (CHECKPOINT_SIGNING_KEY, or DATA_DIR/checkpoint-signing-key.pem): store checkpoints are not signed by this process',
      );
      return;
    }
    const { checkpoints } = await openCheckpointStore(this.store, this.sql);
    const checkpointer = new Checkpointer(this.store, checkpoints, signer, {
      everyEvents: this.config.checkpoints.everyEvents,
      everySeconds: this.config.checkpoints.everySeconds,
      logger: {
        log: (m) => this.logger.log(m),
        error: (m, e) => this.logger.error(`${m}: ${(e as Error | undefined)?.message ?? ''}`),
      },
    });
    this.checkpointer = checkpointer;
    this.lease = this.leases.create('store-checkpointer');
    this.lease.run({
      onAcquired: () => Promise.resolve(checkpointer.start()),
      onLost: () => checkpointer.stop(),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.lease?.close();
    await this.checkpointer?.stop();
  }
}

@Module({ providers: [StoreCheckpointerService], exports: [StoreCheckpointerService] })
export class StoreCheckpointsModule {}
