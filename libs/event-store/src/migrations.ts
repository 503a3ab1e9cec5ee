import type { SqlClient } from './sql/sql-client';

/**
 * Versioned schema migrations, shared by every lib that keeps tables in the
 * same database (event store, read models, idempotency keys). Each lib passes
 * its own namespace and an ordered list; a migration runs once per database,
 * recorded in `schema_migrations`. The whole run is one transaction under an
 * advisory lock, so two processes starting together (or one running it twice)
 * apply each migration exactly once.
 */
export interface Migration {
  /** Stable id, unique within the namespace (e.g. '001-events'); never renamed once shipped. */
  id: string;
  /** One or more statements; no parameters. */
  sql: string;
}

/** Arbitrary constant: the advisory lock key that serialises migration runs. */
const MIGRATION_LOCK_KEY = 4_711_003;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  namespace text NOT NULL,
  id text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (namespace, id)
)`;

/** Applies the namespace's migrations not applied yet, in list order; returns the ids it applied. */
export async function runMigrations(
  sql: SqlClient,
  namespace: string,
  migrations: readonly Migration[],
): Promise<string[]> {
  const ids = new Set<string>();
  for (const migration of migrations) {
    if (ids.has(migration.id))
      throw new Error(`duplicate migration id ${namespace}/${migration.id}`);
    ids.add(migration.id);
  }
  return sql.transaction(async (tx) => {
    // Held until COMMIT: a concurrent runner waits here, then sees what we applied.
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_TABLE);
    const done = await tx.query<{ id: string }>(
      'SELECT id FROM schema_migrations WHERE namespace = $1',
      [namespace],
    );
    const applied = new Set(done.rows.map((row) => row.id));
    const ran: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (namespace, id) VALUES ($1, $2)', [
        namespace,
        migration.id,
      ]);
      ran.push(migration.id);
    }
    return ran;
  });
}
