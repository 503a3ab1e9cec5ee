import type { SqlClient } from '@caseledger/event-store/sql/sql-client';
import { CHECKPOINTS_DDL } from './checkpoints';
import type { Projection } from './projection';

/**
 * Creates the checkpoints table and each projection's live table. Idempotent
 * DDL (IF NOT EXISTS), so every process that serves or builds read models can
 * run it at start; a rebuild swaps tables by rename, which this never undoes.
 */
export async function ensureProjectionTables(
  sql: SqlClient,
  projections: readonly Projection[],
): Promise<void> {
  await sql.transaction(async (tx) => {
    // Two processes starting together must not race on CREATE TABLE.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('caseledger.projections.schema'))`);
    await tx.query(CHECKPOINTS_DDL);
    for (const projection of projections) {
      for (const statement of projection.createTableSql(projection.table))
        await tx.query(statement);
    }
  });
}
