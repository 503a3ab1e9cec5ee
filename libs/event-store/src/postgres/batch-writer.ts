import {
  ConcurrencyError,
  type AppendResult,
  type EventMetadata,
  type ExpectedRevision,
  type IdempotencyRecord,
  type NewEvent,
  type Position,
} from '../event-store.port';
import { computeEventHash } from '../hash-chain';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';
import { isDatabaseUnavailable, isRetryable, mapError } from './errors';
import { toPosition } from './rows';

/**
 * Writes one group-commit batch (DESIGN.md "Known ground": group commit). The
 * streams involved are locked (`SELECT … FOR UPDATE`, in stream-id order so
 * batches never deadlock each other), every append's expected revision is
 * checked against the locked rows in memory, and only the appends that pass
 * are written — all with one INSERT. A conflicting append is therefore
 * answered with ConcurrencyError alone, without aborting the transaction, so
 * its neighbours commit: the isolation a SAVEPOINT per append would give,
 * without its two extra round trips per append. Only an unexpected database
 * error (a unique violation when two batches create the same new stream, a
 * deadlock) aborts a batch; its appends are then retried one by one, each in
 * its own transaction, checking every event id first.
 */

export interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  idempotency?: IdempotencyRecord;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { result: AppendResult } | { error: Error };

interface StreamHead {
  revision: number;
  lastHash: string;
}

interface KnownEvent {
  streamId: string;
  revision: number;
  position?: Position;
  /** Set when the event was accepted earlier in this same batch. */
  batchIndex?: number;
}

/** The rows a batch inserts, column by column (one `unnest` parameter each). */
class EventColumns {
  readonly streamId: string[] = [];
  readonly revision: number[] = [];
  readonly eventId: string[] = [];
  readonly type: string[] = [];
  readonly data: string[] = [];
  readonly metadata: string[] = [];
  readonly recordedAt: string[] = [];
  readonly hash: string[] = [];
  readonly previousHash: string[] = [];
}

const describeActual = (revision: number): string =>
  revision < 0 ? 'no-stream' : String(revision);

function expectedMatches(expected: ExpectedRevision, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current < 0;
  return expected === current;
}

/** Runs a batch in one transaction; when that fails, each append alone (see the header). */
export async function runBatch(
  sql: SqlClient,
  batch: PendingAppend[],
  onWrote: () => void,
): Promise<void> {
  let outcomes: Outcome[] | undefined;
  let batchError: unknown;
  try {
    outcomes = await sql.transaction((tx) => writeBatch(tx, batch, false));
  } catch (error) {
    batchError = error;
  }
  if (outcomes) {
    settle(batch, outcomes, onWrote);
    return;
  }
  if (batch.length === 1 && !isRetryable(batchError)) {
    batch[0].reject(mapError(batchError, batch[0].streamId));
    return;
  }
  await retryOneByOne(sql, batch, onWrote);
}

/**
 * Each append gets its own verdict whatever sank the batch: a race another
 * batch won (both created the same new stream), one append's data the server
 * refuses (a NUL in a text: only that append fails, as a 400), or a connection
 * lost mid-commit. Each is retried alone, checking every event id first, so an
 * append the lost batch did commit is answered, not doubled.
 */
async function retryOneByOne(
  sql: SqlClient,
  batch: PendingAppend[],
  onWrote: () => void,
): Promise<void> {
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
        const outcomes = await sql.transaction((tx) => writeBatch(tx, [pending], true));
        settle([pending], outcomes, onWrote);
        settled = true;
      } catch (error) {
        lastError = error;
        if (!isRetryable(error)) break;
      }
    }
    if (settled) continue;
    // The database itself is gone: the others would fail the same way, at once.
    if (isDatabaseUnavailable(lastError)) unavailable = lastError;
    pending.reject(mapError(lastError, pending.streamId));
  }
}

function settle(batch: PendingAppend[], outcomes: Outcome[], onWrote: () => void): void {
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
  if (wrote) onWrote();
}

/**
 * Writes one batch inside `tx`; returns one outcome per append. Expected
 * revision conflicts are outcomes, not throws, so the transaction commits
 * for the appends that passed.
 */
async function writeBatch(
  tx: SqlExecutor,
  batch: PendingAppend[],
  checkAllIds: boolean,
): Promise<Outcome[]> {
  const streams = await lockStreams(tx, batch);
  const existing = await findStoredEvents(tx, idsToCheck(batch, streams, checkAllIds));
  const plan = planBatch(batch, streams, existing);
  // Keys only come with accepted appends, so they ride in the events' statement.
  const positions = await insertEvents(tx, plan.rows, streams, plan.keys);
  const resolveWritten = (batchIndex: number): AppendResult => {
    const events = batch[batchIndex].events;
    const lastId = events[events.length - 1].eventId;
    const entry = plan.accepted.get(lastId)!;
    return { nextRevision: entry.revision, position: positions.get(lastId)! };
  };
  return plan.outcomes.map((outcome) =>
    'pendingIn' in outcome ? { result: resolveWritten(outcome.pendingIn) } : outcome,
  );
}

/** Locks the batch's streams (in id order: batches never deadlock) and returns their heads. */
async function lockStreams(
  tx: SqlExecutor,
  batch: readonly PendingAppend[],
): Promise<Map<string, StreamHead>> {
  const streamIds = [...new Set(batch.map((pending) => pending.streamId))].sort();
  const locked = await tx.query<{ stream_id: string; revision: number; last_hash: string }>(
    'SELECT stream_id, revision, last_hash FROM es_streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id FOR UPDATE',
    [streamIds],
  );
  const streams = new Map<string, StreamHead>();
  for (const id of streamIds) streams.set(id, { revision: -1, lastHash: '' });
  for (const row of locked.rows) {
    streams.set(row.stream_id, { revision: row.revision, lastHash: row.last_hash });
  }
  return streams;
}

/**
 * Event ids that may already be stored: those of a retry (the stream moved
 * past the expected revision) and of 'any' appends (no revision to tell).
 */
function idsToCheck(
  batch: readonly PendingAppend[],
  streams: ReadonlyMap<string, StreamHead>,
  checkAllIds: boolean,
): string[] {
  const ids: string[] = [];
  for (const pending of batch) {
    const stored = streams.get(pending.streamId)!;
    if (
      checkAllIds ||
      pending.expected === 'any' ||
      !expectedMatches(pending.expected, stored.revision)
    ) {
      for (const event of pending.events) ids.push(event.eventId);
    }
  }
  return ids;
}

async function findStoredEvents(
  tx: SqlExecutor,
  ids: readonly string[],
): Promise<Map<string, KnownEvent>> {
  const existing = new Map<string, KnownEvent>();
  if (ids.length === 0) return existing;
  const found = await tx.query<{
    event_id: string;
    stream_id: string;
    revision: number;
    txid: string;
    seq: string;
  }>(
    'SELECT event_id::text AS event_id, stream_id, revision, txid::text AS txid, seq::text AS seq FROM es_events WHERE event_id = ANY($1::uuid[])',
    [ids],
  );
  for (const row of found.rows) {
    existing.set(row.event_id, {
      streamId: row.stream_id,
      revision: row.revision,
      position: toPosition(row.txid, row.seq),
    });
  }
  return existing;
}

interface BatchPlan {
  outcomes: Array<Outcome | { pendingIn: number }>;
  rows: EventColumns;
  keys: Array<IdempotencyRecord & { streamId: string }>;
  /** Events accepted in this batch, by id. */
  accepted: Map<string, KnownEvent & { batchIndex: number }>;
}

/**
 * Decides each append's verdict against the locked heads and lays out the
 * rows of those that pass (advancing `streams` to the heads after the batch).
 */
function planBatch(
  batch: readonly PendingAppend[],
  streams: Map<string, StreamHead>,
  existing: ReadonlyMap<string, KnownEvent>,
): BatchPlan {
  const plan: BatchPlan = { outcomes: [], rows: new EventColumns(), keys: [], accepted: new Map() };
  const recordedAt = new Date().toISOString();
  batch.forEach((pending, batchIndex) => {
    const state = streams.get(pending.streamId)!;
    const { events, expected, streamId } = pending;
    // A retry that lands in the same batch as its original answers with the original's result.
    const known = events.map(
      (event) => existing.get(event.eventId) ?? plan.accepted.get(event.eventId),
    );
    if (known.some((entry) => entry !== undefined)) {
      plan.outcomes.push(retryOutcome(pending, known, state));
      return;
    }
    if (!expectedMatches(expected, state.revision)) {
      plan.outcomes.push({
        error: new ConcurrencyError(streamId, String(expected), describeActual(state.revision)),
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
      const rows = plan.rows;
      rows.streamId.push(streamId);
      rows.revision.push(revision);
      rows.eventId.push(event.eventId);
      rows.type.push(event.type);
      rows.data.push(JSON.stringify(event.data ?? null));
      rows.metadata.push(JSON.stringify(metadata));
      rows.recordedAt.push(recordedAt);
      rows.hash.push(hash);
      rows.previousHash.push(state.lastHash);
      plan.accepted.set(event.eventId, { streamId, revision, batchIndex });
      state.revision = revision;
      state.lastHash = hash;
    }
    if (pending.idempotency) plan.keys.push({ ...pending.idempotency, streamId });
    plan.outcomes.push({ pendingIn: batchIndex });
  });
  return plan;
}

/**
 * Some of the append's ids are already recorded. It is an idempotent retry if
 * every id is stored, in this stream, right after the expected revision (any
 * revision for 'any'); otherwise it is a conflict.
 */
function retryOutcome(
  pending: PendingAppend,
  known: ReadonlyArray<KnownEvent | undefined>,
  state: StreamHead,
): Outcome | { pendingIn: number } {
  const { expected, streamId } = pending;
  const first =
    expected === 'any' ? known[0]?.revision : expected === 'no-stream' ? 0 : expected + 1;
  const isRetry =
    first !== undefined &&
    known.every(
      (entry, index) =>
        entry !== undefined && entry.streamId === streamId && entry.revision === first + index,
    );
  if (!isRetry) {
    return {
      error: new ConcurrencyError(
        streamId,
        String(expected),
        `${describeActual(state.revision)} (event ids already recorded)`,
      ),
    };
  }
  const last = known[known.length - 1]!;
  if (last.batchIndex !== undefined) return { pendingIn: last.batchIndex };
  return { result: { nextRevision: last.revision, position: last.position! } };
}

/**
 * Writes the stream heads, the events and the Idempotency-Keys in one
 * statement (one round trip); returns each event's position. A key is written
 * in the events' transaction: it never answers for events that do not exist.
 */
async function insertEvents(
  tx: SqlExecutor,
  rows: EventColumns,
  streams: ReadonlyMap<string, StreamHead>,
  keys: ReadonlyArray<IdempotencyRecord & { streamId: string }>,
): Promise<Map<string, Position>> {
  const positions = new Map<string, Position>();
  if (rows.eventId.length === 0) return positions;
  const touched = [...new Set(rows.streamId)].sort();
  const keysCte =
    keys.length === 0
      ? ''
      : `, keys AS (
       INSERT INTO es_idempotency_keys (scope, idempotency_key, request_hash, stream_id)
       SELECT * FROM unnest($13::text[], $14::text[], $15::text[], $16::text[])
       ON CONFLICT (scope, idempotency_key) DO NOTHING
     )`;
  const keyParams =
    keys.length === 0
      ? []
      : [
          keys.map((k) => k.scope),
          keys.map((k) => k.key),
          keys.map((k) => k.requestHash),
          keys.map((k) => k.streamId),
        ];
  const inserted = await tx.query<{ event_id: string; txid: string; seq: string }>(
    `WITH streams AS (
       INSERT INTO es_streams (stream_id, revision, last_hash)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[])
       ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, last_hash = EXCLUDED.last_hash
     )${keysCte}
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
      ...keyParams,
    ],
  );
  for (const row of inserted.rows) positions.set(row.event_id, toPosition(row.txid, row.seq));
  return positions;
}
