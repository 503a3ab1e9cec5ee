import { runMigrations, type Position, type SqlClient } from '@caseledger/event-store';

export const DEADLINE_MIGRATION_NAMESPACE = 'deadlines';

export const DEADLINE_MIGRATIONS = [
  {
    id: '001-reactor-checkpoints',
    sql: `CREATE TABLE IF NOT EXISTS deadline_reactor_checkpoints (
  name text PRIMARY KEY,
  pos_commit bigint NOT NULL,
  pos_prepare bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`,
  },
];

/**
 * Where the deadline reactor has got to in the store's global order. It lives
 * in the SQL database beside the events, not in Redis: losing Redis must not
 * make the reactor forget or replay history; the sweep restores the jobs.
 */
export class ReactorCheckpoints {
  constructor(private readonly sql: SqlClient) {}

  async migrate(): Promise<void> {
    await runMigrations(this.sql, DEADLINE_MIGRATION_NAMESPACE, DEADLINE_MIGRATIONS);
  }

  async load(name: string): Promise<Position | undefined> {
    const { rows } = await this.sql.query<{ pos_commit: string; pos_prepare: string }>(
      `SELECT pos_commit::text AS pos_commit, pos_prepare::text AS pos_prepare
         FROM deadline_reactor_checkpoints WHERE name = $1`,
      [name],
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.pos_commit), prepare: BigInt(row.pos_prepare) } : undefined;
  }

  /** Moves forward only: two reactors racing never move a checkpoint back. */
  async save(name: string, position: Position): Promise<void> {
    await this.sql.query(
      `INSERT INTO deadline_reactor_checkpoints (name, pos_commit, pos_prepare, updated_at)
       VALUES ($1, $2::bigint, $3::bigint, now())
       ON CONFLICT (name) DO UPDATE
          SET pos_commit = EXCLUDED.pos_commit, pos_prepare = EXCLUDED.pos_prepare, updated_at = now()
        WHERE (deadline_reactor_checkpoints.pos_commit, deadline_reactor_checkpoints.pos_prepare)
            < (EXCLUDED.pos_commit, EXCLUDED.pos_prepare)`,
      [name, position.commit.toString(), position.prepare.toString()],
    );
  }
}
