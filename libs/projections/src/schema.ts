import { runMigrations, type Migration, type SqlClient } from '@caseledger/event-store';
import { CHECKPOINTS_DDL, CHECKPOINTS_TABLE } from './checkpoints';
import { caseloadTableDdl, CASELOAD_TABLE } from './caseload/caseload.table';
import { caseSearchTableDdl, CASE_SEARCH_TABLE } from './case-search/case-search.table';

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
  {
    // Domain v2 (R14 closedOn, R16 pending suspension, R20 follow-up): the new
    // columns, and a refold from the log, since every row's folded state was
    // built by the v1 rules (the read model is derived; the log is the truth).
    id: '002-domain-v2-caseload-closed-on-follow-up',
    sql: [
      `ALTER TABLE ${CASELOAD_TABLE} ADD COLUMN IF NOT EXISTS closed_on date`,
      `ALTER TABLE ${CASELOAD_TABLE} ADD COLUMN IF NOT EXISTS follow_up_until date`,
      `DELETE FROM ${CASELOAD_TABLE}`,
      `DELETE FROM ${CHECKPOINTS_TABLE} WHERE name = '${CASELOAD_TABLE}'`,
    ].join(';\n'),
  },
  {
    // DESIGN.md "Additions" (finding cases): a new table, built from position 0
    // by the projector (no checkpoint yet) or by `projections rebuild case-search`.
    id: '003-case-search',
    sql: caseSearchTableDdl(CASE_SEARCH_TABLE).join(';\n'),
  },
];

export async function migrateProjections(sql: SqlClient): Promise<void> {
  await runMigrations(sql, PROJECTIONS_MIGRATION_NAMESPACE, projectionMigrations);
}
