import { runMigrations, type Migration, type SqlClient } from '@caseledger/event-store';
import { CHECKPOINTS_DDL } from './checkpoints';
import { caseloadTableDdl, CASELOAD_TABLE } from './caseload/caseload.table';

export const PROJECTIONS_MIGRATION_NAMESPACE = 'projections';

/**
 * The read models' schema, through the store's namespaced migrations runner.
 * A rebuild swaps tables by rename and builds the shadow from the same DDL
 * (`caseloadTableDdl`), so the live table always has this shape.
 */
export const projectionMigrations: readonly Migration[] = [
  {
    id: '001-checkpoints-and-caseload',
    sql: [CHECKPOINTS_DDL, ...caseloadTableDdl(CASELOAD_TABLE)].join(';\n'),
  },
];

export async function migrateProjections(sql: SqlClient): Promise<void> {
  await runMigrations(sql, PROJECTIONS_MIGRATION_NAMESPACE, projectionMigrations);
}
