import { Inject, Injectable } from '@nestjs/common';
import {
  openCheckpointStore,
  type CheckpointStore,
  type EventStore,
  type SqlClient,
  type StoreTail,
  type StreamHeads,
} from '@caseledger/event-store';
import {
  APP_CONFIG,
  AccessLog,
  EVENT_STORE,
  SQL_CLIENT,
  loadCheckpointKeys,
  type AppConfig,
  type CheckpointKeys,
} from '@caseledger/platform';

/** What the auditors' routes share: the checkpoint store, the public key, the access records. */
@Injectable()
export class AuditEvidence {
  readonly keys: CheckpointKeys;
  readonly access: AccessLog;
  private opened:
    Promise<{ checkpoints: CheckpointStore; heads?: StreamHeads; tail?: StoreTail }> | undefined;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(SQL_CLIENT) readonly sql: SqlClient,
    @Inject(APP_CONFIG) readonly config: AppConfig,
  ) {
    this.keys = loadCheckpointKeys(config);
    this.access = new AccessLog(sql);
  }

  checkpointStore(): Promise<{
    checkpoints: CheckpointStore;
    heads?: StreamHeads;
    tail?: StoreTail;
  }> {
    this.opened ??= openCheckpointStore(this.store, this.sql);
    return this.opened;
  }
}
