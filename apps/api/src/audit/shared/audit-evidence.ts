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
  storedForm,
  type AppConfig,
  type CheckpointKeys,
} from '@caseledger/platform';

/**
 * What the auditors' routes share: the checkpoint store, the public key, the
 * access records, and the store in its stored form — exports and
 * verification carry and recompute the encrypted personal fields the hashes
 * cover (README "Personal data"), so they need no key.
 */
@Injectable()
export class AuditEvidence {
  readonly keys: CheckpointKeys;
  readonly access: AccessLog;
  private opened:
    Promise<{ checkpoints: CheckpointStore; heads?: StreamHeads; tail?: StoreTail }> | undefined;

  readonly store: EventStore;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(SQL_CLIENT) readonly sql: SqlClient,
    @Inject(APP_CONFIG) readonly config: AppConfig,
  ) {
    this.store = storedForm(store);
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
