import type { EventMetadata, Position, RecordedEvent } from '../event-store.port';

/** An es_events row as the adapter selects it (positions as text: xid8 and bigint exceed a JS number). */
export interface EventRow {
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

export const EVENT_COLUMNS =
  'stream_id, revision, event_id::text AS event_id, type, data, metadata, hash, previous_hash, txid::text AS txid, seq::text AS seq';

export const toPosition = (txid: string, seq: string): Position => ({
  commit: BigInt(txid),
  prepare: BigInt(seq),
});

export function toRecorded(row: EventRow): RecordedEvent {
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
