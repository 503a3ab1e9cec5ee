import {
  EventStoreUnavailableError,
  type AppendOptions,
  type AppendResult,
  type BatchHandler,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoredIdempotencyRecord,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from '../event-store.port';
import { verifyChain } from '../hash-chain';
import type { SqlClient } from '../sql/sql-client';
import { runBatch, type PendingAppend } from './batch-writer';
import { GroupCommitScheduler, groupCommitSettings, type GroupCommitOptions } from './group-commit';
import {
  findIdempotencyRow,
  purgeIdempotencyRows,
  readAllRows,
  readHeadPosition,
  readStreamRows,
  readStreamsRows,
} from './reads';
import { migrateEventStore } from './schema';
import { PollingSubscriptions } from './subscription';

/**
 * The PostgreSQL adapter of the event store port; the same code runs on a `pg`
 * pool and on embedded PGlite (both behind SqlClient). This file composes the
 * jobs, each in its own file: the schema (schema.ts), group commit's scheduler
 * (group-commit.ts), the batch writer (batch-writer.ts), the reads (reads.ts),
 * the polling subscription (subscription.ts) and error mapping (errors.ts).
 *
 * Global order (DESIGN.md "Known ground"): a `bigserial` alone is not a commit
 * order — a reader tailing it skips events that commit out of order. Every row
 * carries the id of the transaction that wrote it (`pg_current_xact_id()`, xid8)
 * and a sequence; the order and every position/checkpoint is the pair
 * (transaction id, sequence), and readers only return rows of transactions
 * older than the oldest transaction still in flight
 * (`pg_snapshot_xmin(pg_current_snapshot())`). A transaction below that horizon
 * has finished, so nothing can later appear below a returned position.
 */

export interface PostgresEventStoreOptions {
  /** Group commit: on by default; `false` writes each append in its own transaction. */
  groupCommit?: boolean | GroupCommitOptions;
  /** How often an idle subscription polls for new events (default 25 ms); local appends nudge it at once. */
  pollIntervalMs?: number;
  /** Close the SqlClient on close() (default false: it is usually shared with the read models). */
  ownsSqlClient?: boolean;
}

export class PostgresEventStore implements EventStore {
  private readonly scheduler: GroupCommitScheduler<PendingAppend>;
  private readonly subscriptions: PollingSubscriptions;
  private closed = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    this.subscriptions = new PollingSubscriptions(
      (from, limit) => this.readAll(from, limit),
      options.pollIntervalMs ?? 25,
    );
    this.scheduler = new GroupCommitScheduler(
      groupCommitSettings(options.groupCommit ?? true, sql.dialect),
      (batch) => runBatch(this.sql, batch, () => this.subscriptions.nudge()),
    );
  }

  /** Runs the event store's migrations, then returns the store. */
  static async create(
    sql: SqlClient,
    options: PostgresEventStoreOptions = {},
  ): Promise<PostgresEventStore> {
    await migrateEventStore(sql);
    return new PostgresEventStore(sql, options);
  }

  append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    if (events.length === 0) {
      return Promise.reject(new RangeError(`append to ${streamId}: no events`));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.scheduler.push({
        streamId,
        events,
        expected,
        ...(options.idempotency ? { idempotency: options.idempotency } : {}),
        resolve,
        reject,
      });
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return readStreamRows(this.sql, streamId, options);
  }

  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    return readStreamsRows(this.sql, streamIds);
  }

  readAll(from: Position | undefined, limit: number): Promise<RecordedEvent[]> {
    return readAllRows(this.sql, from, limit);
  }

  headPosition(): Promise<Position | undefined> {
    return readHeadPosition(this.sql);
  }

  findIdempotencyRecord(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined> {
    return findIdempotencyRow(this.sql, scope, key);
  }

  purgeIdempotencyRecords(olderThan: Date): Promise<number> {
    return purgeIdempotencyRows(this.sql, olderThan);
  }

  async verify(streamId: string): Promise<VerifyResult> {
    return verifyChain(await this.readStream(streamId));
  }

  async ping(): Promise<void> {
    try {
      await this.sql.query('SELECT 1 AS ok', []);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new EventStoreUnavailableError(`event store unavailable: ${message}`, { cause: error });
    }
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    return this.subscriptions.subscribe(handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.scheduler.drain();
    await this.subscriptions.stopAll();
    if (this.options.ownsSqlClient) await this.sql.close();
  }
}
