import { START, type Position } from '@caseledger/event-store';
import type { SqlExecutor } from '@caseledger/event-store';

/**
 * Checkpoints live next to the rows they describe, one per table (live or
 * shadow), and are only ever written in the transaction that writes the rows
 * (STYLE.md 4).
 */
export const CHECKPOINTS_TABLE = 'projection_checkpoints';

export const CHECKPOINTS_DDL = `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (
  name text PRIMARY KEY,
  commit_position bigint NOT NULL,
  prepare_position bigint NOT NULL,
  events_applied bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

interface CheckpointRow {
  commit_position: string;
  prepare_position: string;
}

const toPosition = (row: CheckpointRow): Position => ({
  commit: BigInt(row.commit_position),
  prepare: BigInt(row.prepare_position),
});

export async function readCheckpoint(db: SqlExecutor, name: string): Promise<Position> {
  const { rows } = await db.query<CheckpointRow>(
    `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM ${CHECKPOINTS_TABLE} WHERE name = $1`,
    [name],
  );
  return rows[0] ? toPosition(rows[0]) : START;
}

/**
 * Reads the checkpoint and holds its row lock until the transaction ends: one
 * batch at a time per table, and a rebuild's swap waits for the batch in flight.
 */
export async function lockCheckpoint(tx: SqlExecutor, name: string): Promise<Position> {
  await tx.query(
    `INSERT INTO ${CHECKPOINTS_TABLE} (name, commit_position, prepare_position)
     VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING`,
    [name],
  );
  const { rows } = await tx.query<CheckpointRow>(
    `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position
       FROM ${CHECKPOINTS_TABLE} WHERE name = $1 FOR UPDATE`,
    [name],
  );
  return rows[0] ? toPosition(rows[0]) : START;
}

export async function writeCheckpoint(
  tx: SqlExecutor,
  name: string,
  position: Position,
  eventsApplied: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${CHECKPOINTS_TABLE} (name, commit_position, prepare_position, events_applied, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
       prepare_position = EXCLUDED.prepare_position,
       events_applied = ${CHECKPOINTS_TABLE}.events_applied + EXCLUDED.events_applied,
       updated_at = now()`,
    [name, position.commit.toString(), position.prepare.toString(), eventsApplied],
  );
}

export async function deleteCheckpoint(tx: SqlExecutor, name: string): Promise<void> {
  await tx.query(`DELETE FROM ${CHECKPOINTS_TABLE} WHERE name = $1`, [name]);
}
