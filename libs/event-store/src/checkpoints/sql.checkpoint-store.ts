import { runMigrations, type Migration } from '../migrations';
import type { SqlClient } from '../sql/sql-client';
import type { SignedCheckpoint } from './checkpoint';
import { CheckpointConflictError, type CheckpointStore } from './checkpoint-store.port';

export const CHECKPOINT_MIGRATION_NAMESPACE = 'store-checkpoints';

export const checkpointMigrations: readonly Migration[] = [
  {
    id: '001-signed-store-checkpoints',
    sql: `
CREATE TABLE es_checkpoints (
  sequence integer PRIMARY KEY,
  position text NOT NULL,
  previous_position text NOT NULL,
  event_count bigint NOT NULL,
  total_events bigint NOT NULL,
  events_hash text NOT NULL,
  previous_hash text NOT NULL,
  created_at text NOT NULL,
  key_id text NOT NULL,
  hash text NOT NULL,
  signature text NOT NULL
);
`,
  },
];

interface CheckpointRow {
  sequence: number;
  position: string;
  previous_position: string;
  event_count: string;
  total_events: string;
  events_hash: string;
  previous_hash: string;
  created_at: string;
  key_id: string;
  hash: string;
  signature: string;
}

const toCheckpoint = (row: CheckpointRow): SignedCheckpoint => ({
  sequence: row.sequence,
  position: row.position,
  previousPosition: row.previous_position,
  eventCount: Number(row.event_count),
  totalEvents: Number(row.total_events),
  eventsHash: row.events_hash,
  previousHash: row.previous_hash,
  createdAt: row.created_at,
  keyId: row.key_id,
  hash: row.hash,
  signature: row.signature,
});

/** Checkpoints in `es_checkpoints`, next to `es_events` (PostgreSQL and PGlite). */
export class SqlCheckpointStore implements CheckpointStore {
  constructor(private readonly sql: SqlClient) {}

  static async create(sql: SqlClient): Promise<SqlCheckpointStore> {
    await runMigrations(sql, CHECKPOINT_MIGRATION_NAMESPACE, checkpointMigrations);
    return new SqlCheckpointStore(sql);
  }

  async list(): Promise<SignedCheckpoint[]> {
    const result = await this.sql.query<CheckpointRow>(
      'SELECT * FROM es_checkpoints ORDER BY sequence',
    );
    return result.rows.map(toCheckpoint);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const result = await this.sql.query<CheckpointRow>(
      'SELECT * FROM es_checkpoints ORDER BY sequence DESC LIMIT 1',
    );
    return result.rows[0] ? toCheckpoint(result.rows[0]) : undefined;
  }

  async append(c: SignedCheckpoint): Promise<void> {
    const result = await this.sql.query(
      `INSERT INTO es_checkpoints (sequence, position, previous_position, event_count, total_events,
         events_hash, previous_hash, created_at, key_id, hash, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (sequence) DO NOTHING`,
      [
        c.sequence,
        c.position,
        c.previousPosition,
        c.eventCount,
        c.totalEvents,
        c.eventsHash,
        c.previousHash,
        c.createdAt,
        c.keyId,
        c.hash,
        c.signature,
      ],
    );
    if (result.rowCount === 0) throw new CheckpointConflictError(c.sequence);
  }
}
