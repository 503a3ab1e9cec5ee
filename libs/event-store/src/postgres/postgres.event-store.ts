import { ConcurrencyError } from '@caseledger/domain';
import {
  EventStoreUnavailableError,
  comparePositions,
  type AppendOptions,
  type AppendResult,
  type BatchHandler,
  type IdempotencyRecord,
  type StoredIdempotencyRecord,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from './event-store.port';
import { computeEventHash, verifyChain } from './hash-chain';
import { runMigrations, type Migration } from './migrations';
import type { SqlClient, SqlExecutor } from './sql/sql-client';

/**
 * The PostgreSQL adapter of the event store port; the same code runs on a `pg`
 * pool and on embedded PGlite (both behind SqlClient).
 *
 * Global order (DESIGN.md "Known ground"): a `bigserial` alone is not a commit
 * order — a reader tailing it skips events that commit out of order. Every row
 * carries the id of the transaction that wrote it (`pg_current_xact_id()`, xid8)
 * and a sequence; the order and every position/checkpoint is the pair
 * (transaction id, sequence), and readers only return rows of transactions
 * older than the oldest transaction still in flight
 * (`pg_snapshot_xmin(pg_current_snapshot())`). A transaction below that horizon
 * has finished, so nothing can later appear below a returned position.
 *
 * Group commit (issue 3, adapters 2): concurrent appends are gathered into one
 * transaction. The streams involved are locked (`SELECT … FOR UPDATE`, in
 * stream-id order so batches never deadlock each other), every append's
 * expected revision is checked against the locked rows in memory, and only the
 * appends that pass are written — all with one INSERT. A conflicting append is
 * therefore answered with ConcurrencyError alone, without aborting the
 * transaction, so its neighbours commit: the isolation a SAVEPOINT per append
 * would give, without its two extra round trips per append. Only an unexpected
 * database error (a unique violation when two batches create the same new
 * stream, a deadlock) aborts a batch; its appends are then retried one by one,
 * each in its own transaction, checking every event id first.
 */

export const EVENT_STORE_MIGRATION_NAMESPACE = 'event-store';

export const eventStoreMigrations: readonly Migration[] = [
  {
    id: '001-events-and-streams',
    sql: `
CREATE TABLE es_streams (
  stream_id text PRIMARY KEY,
  revision integer NOT NULL,
  last_hash text NOT NULL
);
CREATE TABLE es_events (
  seq bigserial NOT NULL,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision integer NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  hash text NOT NULL,
  previous_hash text NOT NULL,
  PRIMARY KEY (stream_id, revision),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id)
);
CREATE UNIQUE INDEX es_events_position ON es_events (txid, seq);
`,
  },
  {
    // Idempotency-Keys written in the transaction of the events they produced.
    id: '002-idempotency-keys-with-events',
    sql: `
CREATE TABLE es_idempotency_keys (
  scope text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  stream_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX es_idempotency_keys_created_idx ON es_idempotency_keys (created_at);
`,
  },
];

export function migrateEventStore(sql: SqlClient): Promise<string[]> {
  return runMigrations(sql, EVENT_STORE_MIGRATION_NAMESPACE, eventStoreMigrations);
}

export interface GroupCommitOptions {
  /** Largest number of appends written in one transaction (default 128). */
  maxBatchSize?: number;
  /**
   * How long a batch may wait for companions while another batch is already
   * being written (default 1 ms). With no batch in flight, the first append
   * goes at once: a lone writer pays no wait.
   */
  maxWaitMs?: number;
  /** Batches written concurrently (default 4 on PostgreSQL; 1 on PGlite, which has one connection). */
  maxInFlight?: number;
}

export interface PostgresEventStoreOptions {
  /** Group commit: on by default; `false` writes each append in its own transaction. */
  groupCommit?: boolean | GroupCommitOptions;
  /** How often an idle subscription polls for new events (default 25 ms); local appends nudge it at once. */
  pollIntervalMs?: number;
  /** Close the SqlClient on close() (default false: it is usually shared with the read models). */
  ownsSqlClient?: boolean;
}

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  idempotency?: IdempotencyRecord;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { result: AppendResult } | { error: Error };

interface EventRow {
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  hash: string;
  previous_hash: string;
  txid: string;
  seq: string;
}

interface ExistingEventRow {
  event_id: string;
  stream_id: string;
  revision: number;
  txid: string;
  seq: string;
}

const EVENT_COLUMNS =
  'stream_id, revision, event_id::text AS event_id, type, data, metadata, hash, previous_hash, txid::text AS txid, seq::text AS seq';

/** Errors after which a batch is retried append by append. */
const RETRYABLE_CODES = new Set(['23505', '40P01', '40001']);

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A lost or refused database connection (not a refusal of what was sent): answer 503, retry later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  const code = errorCode(error);
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection refused|is closed|not queryable|Client has encountered a connection error|timeout exceeded when trying to connect|terminating connection|not currently accepting connections/i.test(
    message,
  );
}

/**
 * The server refused an event's content (SQLSTATE class 22, data exception:
 * a NUL character or a lone surrogate in a text, which jsonb cannot hold).
 * Only that append fails, as a validation refusal (400): what a client sent.
 */
export class EventDataRejectedError extends Error {
  constructor(
    readonly streamId: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the event store cannot hold this content (${detail}); remove NUL characters and unpaired surrogates from texts`,
      options,
    );
    this.name = 'EventDataRejectedError';
  }
}

function mapError(error: unknown, streamId = ''): unknown {
  const code = errorCode(error);
  if (code && code.startsWith('22')) {
    return new EventDataRejectedError(streamId, error instanceof Error ? error.message : code, {
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error) && !(error instanceof EventStoreUnavailableError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`event store unavailable: ${message}`, { cause: error });
  }
  return error;
}

const toPosition = (txid: string, seq: string): Position => ({
  commit: BigInt(txid),
  prepare: BigInt(seq),
});

function toRecorded(row: EventRow): RecordedEvent {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: toPosition(row.txid, row.seq),
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    hash: row.hash,
    previousHash: row.previous_hash,
  };
}

const describeExpected = (expected: ExpectedRevision): string => String(expected);
const describeActual = (revision: number): string =>
  revision < 0 ? 'no-stream' : String(revision);

function expectedMatches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current < 0;
  return expected === current;
}

export class PostgresEventStore implements EventStore {
  private readonly groupCommit: Required<GroupCommitOptions> | undefined;
  private readonly pollIntervalMs: number;
  private readonly queue: PendingAppend[] = [];
  private inFlight = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private readonly idle = new Set<() => void>();
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    const group = options.groupCommit ?? true;
    this.groupCommit =
      group === false
        ? undefined
        : {
            maxBatchSize: (group === true ? undefined : group.maxBatchSize) ?? 128,
            maxWaitMs: (group === true ? undefined : group.maxWaitMs) ?? 1,
            maxInFlight:
              (group === true ? undefined : group.maxInFlight) ??
              (sql.dialect === 'pglite' ? 1 : 4),
          };
    this.pollIntervalMs = options.pollIntervalMs ?? 25;
  }

  /** Runs the event store's migrations, then returns the store. */
  static async create(
    sql: SqlClient,
    options: PostgresEventStoreOptions = {},
  ): Promise<PostgresEventStore> {
    await migrateEventStore(sql);
    return new PostgresEventStore(sql, options);
  }

  // ---------------------------------------------------------------- append

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
      this.queue.push({
        streamId,
        events,
        expected,
        ...(options.idempotency ? { idempotency: options.idempotency } : {}),
        resolve,
        reject,
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (!this.groupCommit) {
      // Group commit off: every append is its own transaction, started at once.
      while (this.queue.length > 0) this.startBatch(this.queue.splice(0, 1));
      return;
    }
    const { maxBatchSize, maxWaitMs, maxInFlight } = this.groupCommit;
    if (this.inFlight >= maxInFlight) return; // a finishing batch flushes the queue
    if (this.queue.length >= maxBatchSize) {
      this.flush();
      return;
    }
    if (this.flushScheduled || this.flushTimer) return;
    if (this.inFlight === 0 || maxWaitMs <= 0) {
      // Nothing being written: go on the next turn of the event loop, which still
      // gathers every append issued in this one.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    } else {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, maxWaitMs);
    }
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const { maxBatchSize, maxInFlight } = this.groupCommit ?? { maxBatchSize: 1, maxInFlight: 1 };
    while (this.queue.length > 0 && this.inFlight < maxInFlight) {
      this.startBatch(this.queue.splice(0, maxBatchSize));
    }
  }

  private startBatch(batch: PendingAppend[]): void {
    this.inFlight += 1;
    void this.runBatch(batch).finally(() => {
      this.inFlight -= 1;
      if (this.queue.length > 0) {
        // The appends that queued up while this batch was written go now.
        if (this.groupCommit) this.flush();
        else this.schedule();
      } else if (this.inFlight === 0) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
    });
  }

  private async runBatch(batch: PendingAppend[]): Promise<void> {
    let outcomes: Outcome[] | undefined;
    let batchError: unknown;
    try {
      outcomes = await this.sql.transaction((tx) => this.writeBatch(tx, batch, false));
    } catch (error) {
      batchError = error;
    }
    if (outcomes) {
      this.settle(batch, outcomes);
      return;
    }
    if (batch.length === 1 && !RETRYABLE_CODES.has(errorCode(batchError) ?? '')) {
      batch[0].reject(mapError(batchError, batch[0].streamId));
      return;
    }
    // Each append gets its own verdict whatever sank the batch: a race another
    // batch won (both created the same new stream), one append's data the
    // server refuses (a NUL in a text: only that append fails, as a 400), or a
    // connection lost mid-commit. Each is retried alone, checking every event
    // id first, so an append the lost batch did commit is answered, not doubled.
    let unavailable: unknown;
    for (const pending of batch) {
      if (unavailable !== undefined) {
        pending.reject(mapError(unavailable));
        continue;
      }
      let lastError: unknown;
      let settled = false;
      for (let attempt = 0; attempt < 5 && !settled; attempt += 1) {
        try {
          const [outcome] = await this.sql.transaction((tx) =>
            this.writeBatch(tx, [pending], true),
          );
          this.settle([pending], [outcome]);
          settled = true;
        } catch (error) {
          lastError = error;
          if (!RETRYABLE_CODES.has(errorCode(error) ?? '')) break;
        }
      }
      if (settled) continue;
      // The database itself is gone: the others would fail the same way, at once.
      if (isDatabaseUnavailable(lastError)) unavailable = lastError;
      pending.reject(mapError(lastError, pending.streamId));
    }
  }

  private settle(batch: PendingAppend[], outcomes: Outcome[]): void {
    let wrote = false;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if ('result' in outcome) {
        wrote = true;
        pending.resolve(outcome.result);
      } else {
        pending.reject(outcome.error);
      }
    });
    if (wrote) this.nudge();
  }

  /**
   * Writes one batch inside `tx`; returns one outcome per append. Expected
   * revision conflicts are outcomes, not throws, so the transaction commits
   * for the appends that passed.
   */
  private async writeBatch(
    tx: SqlExecutor,
    batch: PendingAppend[],
    checkAllIds: boolean,
  ): Promise<Outcome[]> {
    const streamIds = [...new Set(batch.map((pending) => pending.streamId))].sort();
    const locked = await tx.query<{ stream_id: string; revision: number; last_hash: string }>(
      'SELECT stream_id, revision, last_hash FROM es_streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE',
      [streamIds],
    );
    const streams = new Map<string, { revision: number; lastHash: string }>();
    for (const id of streamIds) streams.set(id, { revision: -1, lastHash: '' });
    for (const row of locked.rows) {
      streams.set(row.stream_id, { revision: row.revision, lastHash: row.last_hash });
    }

    // Event ids that may already be stored: those of a retry (the stream moved
    // past the expected revision) and of 'any' appends (no revision to tell).
    const idsToCheck: string[] = [];
    for (const pending of batch) {
      const stored = streams.get(pending.streamId)!;
      if (
        checkAllIds ||
        pending.expected === 'any' ||
        !expectedMatches(pending.expected, stored.revision)
      ) {
        for (const event of pending.events) idsToCheck.push(event.eventId);
      }
    }
    const existing = new Map<string, { streamId: string; revision: number; position?: Position }>();
    if (idsToCheck.length > 0) {
      const found = await tx.query<ExistingEventRow>(
        'SELECT event_id::text AS event_id, stream_id, revision, txid::text AS txid, seq::text AS seq FROM es_events WHERE event_id = ANY($1::uuid[])',
        [idsToCheck],
      );
      for (const row of found.rows) {
        existing.set(row.event_id, {
          streamId: row.stream_id,
          revision: row.revision,
          position: toPosition(row.txid, row.seq),
        });
      }
    }

    const recordedAt = new Date().toISOString();
    const outcomes: Array<Outcome | { pendingIn: number }> = [];
    // Events accepted in this batch, by id: a retry that lands in the same batch
    // as its original answers with the original's result.
    const accepted = new Map<string, { streamId: string; revision: number; batchIndex: number }>();
    const rows = {
      streamId: [] as string[],
      revision: [] as number[],
      eventId: [] as string[],
      type: [] as string[],
      data: [] as string[],
      metadata: [] as string[],
      recordedAt: [] as string[],
      hash: [] as string[],
      previousHash: [] as string[],
    };

    const keys: Array<IdempotencyRecord & { streamId: string }> = [];
    batch.forEach((pending, batchIndex) => {
      const state = streams.get(pending.streamId)!;
      const { events, expected, streamId } = pending;

      const known = events.map(
        (event) => existing.get(event.eventId) ?? accepted.get(event.eventId),
      );
      if (known.some((entry) => entry !== undefined)) {
        // Idempotent retry: every id already stored, in this stream, right after
        // the expected revision (any revision for 'any').
        const first =
          expected === 'any' ? known[0]?.revision : expected === 'no-stream' ? 0 : expected + 1;
        const isRetry =
          first !== undefined &&
          known.every(
            (entry, index) =>
              entry !== undefined &&
              entry.streamId === streamId &&
              entry.revision === first + index,
          );
        if (!isRetry) {
          outcomes.push({
            error: new ConcurrencyError(
              streamId,
              describeExpected(expected),
              `${describeActual(state.revision)} (event ids already recorded)`,
            ),
          });
          return;
        }
        const last = known[known.length - 1]!;
        if ('batchIndex' in last) {
          outcomes.push({ pendingIn: last.batchIndex });
        } else {
          outcomes.push({ result: { nextRevision: last.revision, position: last.position! } });
        }
        return;
      }

      if (!expectedMatches(expected, state.revision)) {
        outcomes.push({
          error: new ConcurrencyError(
            streamId,
            describeExpected(expected),
            describeActual(state.revision),
          ),
        });
        return;
      }

      for (const event of events) {
        const revision = state.revision + 1;
        const metadata: EventMetadata = { ...event.metadata, eventId: event.eventId, recordedAt };
        const hash = computeEventHash(state.lastHash, {
          type: event.type,
          data: event.data,
          metadata,
        });
        rows.streamId.push(streamId);
        rows.revision.push(revision);
        rows.eventId.push(event.eventId);
        rows.type.push(event.type);
        rows.data.push(JSON.stringify(event.data ?? null));
        rows.metadata.push(JSON.stringify(metadata));
        rows.recordedAt.push(recordedAt);
        rows.hash.push(hash);
        rows.previousHash.push(state.lastHash);
        accepted.set(event.eventId, { streamId, revision, batchIndex });
        state.revision = revision;
        state.lastHash = hash;
      }
      if (pending.idempotency) keys.push({ ...pending.idempotency, streamId });
      outcomes.push({ pendingIn: batchIndex });
    });

    const positions = new Map<string, Position>();
    if (rows.eventId.length > 0) {
      const touched = [...new Set(rows.streamId)].sort();
      const inserted = await tx.query<{ event_id: string; txid: string; seq: string }>(
        `WITH streams AS (
           INSERT INTO es_streams (stream_id, revision, last_hash)
           SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
           ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash
         )
         INSERT INTO es_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash, previous_hash)
         SELECT s, r, e::uuid, t, d::jsonb, m::jsonb, ra::timestamptz, h, ph
         FROM unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
           AS u(s, r, e, t, d, m, ra, h, ph)
         RETURNING event_id::text AS event_id, txid::text AS txid, seq::text AS seq`,
        [
          touched,
          touched.map((id) => streams.get(id)!.revision),
          touched.map((id) => streams.get(id)!.lastHash),
          rows.streamId,
          rows.revision,
          rows.eventId,
          rows.type,
          rows.data,
          rows.metadata,
          rows.recordedAt,
          rows.hash,
          rows.previousHash,
        ],
      );
      for (const row of inserted.rows) positions.set(row.event_id, toPosition(row.txid, row.seq));
    }
    if (keys.length > 0) {
      // In the events' transaction: a key never answers for events that do not exist.
      await tx.query(
        `INSERT INTO es_idempotency_keys (scope, idempotency_key, request_hash, stream_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (scope, idempotency_key) DO NOTHING`,
        [
          keys.map((k) => k.scope),
          keys.map((k) => k.key),
          keys.map((k) => k.requestHash),
          keys.map((k) => k.streamId),
        ],
      );
    }

    const resolveWritten = (batchIndex: number): AppendResult => {
      const events = batch[batchIndex].events;
      const lastId = events[events.length - 1].eventId;
      const entry = accepted.get(lastId)!;
      return { nextRevision: entry.revision, position: positions.get(lastId)! };
    };
    return outcomes.map((outcome) =>
      'pendingIn' in outcome ? { result: resolveWritten(outcome.pendingIn) } : outcome,
    );
  }

  // ---------------------------------------------------------------- reads

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const params: unknown[] = [streamId, options.fromRevision ?? 0];
    let text = `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND revision >= $2`;
    if (options.recordedUntil) {
      params.push(options.recordedUntil.toISOString());
      text += ' AND recorded_at <= $3::timestamptz';
    }
    text += ' ORDER BY es_events.revision';
    const result = await this.run(() => this.sql.query<EventRow>(text, params));
    return result.rows.map(toRecorded);
  }

  async readAll(from: Position | undefined, limit: number): Promise<RecordedEvent[]> {
    const after = from ?? { commit: 0n, prepare: 0n };
    // Only transactions older than every one still running: see the header.
    const result = await this.run(() =>
      this.sql.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM es_events
         WHERE (txid, seq) > ($1::text::xid8, $2::bigint)
           AND txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY es_events.txid, es_events.seq
         LIMIT $3`,
        [after.commit.toString(), after.prepare.toString(), limit],
      ),
    );
    return result.rows.map(toRecorded);
  }

  async headPosition(): Promise<Position | undefined> {
    const result = await this.run(() =>
      this.sql.query<{ txid: string; seq: string }>(
        `SELECT txid::text AS txid, seq::text AS seq FROM es_events
         WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY es_events.txid DESC, es_events.seq DESC LIMIT 1`,
      ),
    );
    const row = result.rows[0];
    return row ? toPosition(row.txid, row.seq) : undefined;
  }

  async findIdempotencyRecord(
    scope: string,
    key: string,
  ): Promise<StoredIdempotencyRecord | undefined> {
    const { rows } = await this.run(() =>
      this.sql.query<{
        scope: string;
        idempotency_key: string;
        request_hash: string;
        stream_id: string;
        created_at: string;
      }>(
        `SELECT scope, idempotency_key, request_hash, stream_id, created_at::text AS created_at
           FROM es_idempotency_keys WHERE scope = $1 AND idempotency_key = $2`,
        [scope, key],
      ),
    );
    const row = rows[0];
    return row
      ? {
          scope: row.scope,
          key: row.idempotency_key,
          requestHash: row.request_hash,
          streamId: row.stream_id,
          createdAt: row.created_at,
        }
      : undefined;
  }

  async purgeIdempotencyRecords(olderThan: Date): Promise<number> {
    const { rowCount } = await this.run(() =>
      this.sql.query('DELETE FROM es_idempotency_keys WHERE created_at < $1::timestamptz', [
        olderThan.toISOString(),
      ]),
    );
    return rowCount;
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

  private async run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw mapError(error);
    }
  }

  // ---------------------------------------------------------------- subscribe

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let checkpoint: Position | undefined = options.from;
    let stopping = false;
    let wake: (() => void) | undefined;

    const sleep = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          this.wakers.delete(finish);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(finish, this.pollIntervalMs);
        wake = finish;
        this.wakers.add(finish);
      });

    const loop = async (): Promise<void> => {
      while (!stopping) {
        const events = await this.readAll(checkpoint, batchSize);
        if (stopping) break;
        if (events.length === 0) {
          await sleep();
          continue;
        }
        // Belt and braces: a position at or below the checkpoint is never handed out twice.
        const fresh = checkpoint
          ? events.filter((event) => comparePositions(event.position, checkpoint!) > 0)
          : events;
        if (fresh.length > 0) await handler(fresh);
        checkpoint = events[events.length - 1].position;
      }
    };

    const done = loop();
    // `done` is observed by whoever awaits it; this keeps an unobserved stop from
    // surfacing as an unhandled rejection.
    done.catch(() => undefined);
    const subscription: Subscription = {
      done,
      stop: async () => {
        stopping = true;
        wake?.();
        try {
          await done;
        } catch {
          // The handler's error is reported through `done`.
        }
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    void done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  private nudge(): void {
    for (const wake of [...this.wakers]) wake();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.queue.length > 0) this.flush();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.options.ownsSqlClient) await this.sql.close();
  }
}
