import type {
  Position,
  ReadStreamOptions,
  RecordedEvent,
  StoredIdempotencyRecord,
} from '../event-store.port';
import type { SqlExecutor } from '../sql/sql-client';
import { mapError } from './errors';
import { EVENT_COLUMNS, toPosition, toRecorded, type EventRow } from './rows';

/**
 * The adapter's reads. Read-all and the head only return rows of transactions
 * older than the oldest one still in flight (`pg_snapshot_xmin`): such a
 * transaction has finished, so nothing can later appear below a returned
 * position (see postgres.event-store.ts).
 */

/** Runs a read, mapping a lost connection to EventStoreUnavailableError. */
export async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapError(error);
  }
}

export async function readStreamRows(
  sql: SqlExecutor,
  streamId: string,
  options: ReadStreamOptions = {},
): Promise<RecordedEvent[]> {
  const params: unknown[] = [streamId, options.fromRevision ?? 0];
  let text = `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND revision >= $2`;
  if (options.recordedUntil) {
    params.push(options.recordedUntil.toISOString());
    text += ' AND recorded_at <= $3::timestamptz';
  }
  text += ' ORDER BY es_events.revision';
  const result = await mapped(() => sql.query<EventRow>(text, params));
  return result.rows.map(toRecorded);
}

/**
 * Whole streams in one statement (the primary key's (stream_id, revision)
 * order): every asked stream is a key of the answer, [] when it has no events.
 */
export async function readStreamsRows(
  sql: SqlExecutor,
  streamIds: readonly string[],
): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const id of streamIds) streams.set(id, []);
  if (streams.size === 0) return streams;
  const result = await mapped(() =>
    sql.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = ANY($1::text[])
       ORDER BY es_events.stream_id, es_events.revision`,
      [[...streams.keys()]],
    ),
  );
  for (const row of result.rows) streams.get(row.stream_id)!.push(toRecorded(row));
  return streams;
}

export async function readAllRows(
  sql: SqlExecutor,
  from: Position | undefined,
  limit: number,
): Promise<RecordedEvent[]> {
  const after = from ?? { commit: 0n, prepare: 0n };
  const result = await mapped(() =>
    sql.query<EventRow>(
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

export async function readHeadPosition(sql: SqlExecutor): Promise<Position | undefined> {
  const result = await mapped(() =>
    sql.query<{ txid: string; seq: string }>(
      `SELECT txid::text AS txid, seq::text AS seq FROM es_events
       WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY es_events.txid DESC, es_events.seq DESC LIMIT 1`,
    ),
  );
  const row = result.rows[0];
  return row ? toPosition(row.txid, row.seq) : undefined;
}

export async function findIdempotencyRow(
  sql: SqlExecutor,
  scope: string,
  key: string,
): Promise<StoredIdempotencyRecord | undefined> {
  const { rows } = await mapped(() =>
    sql.query<{
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

export async function purgeIdempotencyRows(sql: SqlExecutor, olderThan: Date): Promise<number> {
  const { rowCount } = await mapped(() =>
    sql.query('DELETE FROM es_idempotency_keys WHERE created_at < $1::timestamptz', [
      olderThan.toISOString(),
    ]),
  );
  return rowCount;
}
