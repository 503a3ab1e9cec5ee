import { assertIdentifier } from '../sql-values';
import type { CaseloadRow } from './caseload.row';

/**
 * The caseload table's shape: its columns (the one list the DDL, the codec
 * and the reads share) and its DDL.
 */
export const CASELOAD_TABLE = 'caseload';

/** `[column, SQL type, row field]` — the one list the DDL, the upsert and the reads share. */
export const COLUMNS = [
  ['case_id', 'text', 'caseId'],
  ['customer_id', 'text', 'customerId'],
  ['customer_name', 'text', 'customerName'],
  ['program', 'text', 'program'],
  ['local_area_id', 'text', 'localAreaId'],
  ['career_center_id', 'text', 'careerCenterId'],
  ['case_manager_id', 'text', 'caseManagerId'],
  ['status', 'text', 'status'],
  ['opened_on', 'date', 'openedOn'],
  ['last_qualifying_contact_on', 'date', 'lastQualifyingContactOn'],
  ['contact_due_on', 'date', 'contactDueOn'],
  ['soft_exit_due_on', 'date', 'softExitDueOn'],
  ['follow_up_due_on', 'date', 'followUpDueOn'],
  ['next_due_on', 'date', 'nextDueOn'],
  ['open_barriers', 'integer', 'openBarriers'],
  ['barriers_without_plan', 'json', 'barriersWithoutPlan'],
  ['outreach_awaiting_response', 'integer', 'outreachAwaitingResponse'],
  ['suspended_since', 'date', 'suspendedSince'],
  ['suspension_reason', 'text', 'suspensionReason'],
  ['exit_date', 'date', 'exitDate'],
  ['closed_on', 'date', 'closedOn'],
  ['closure_reason', 'text', 'closureReason'],
  ['employment_start_date', 'date', 'employmentStartDate'],
  ['follow_up_verified_on', 'date', 'followUpVerifiedOn'],
  ['follow_up_until', 'date', 'followUpUntil'],
] as const satisfies ReadonlyArray<readonly [string, string, keyof CaseloadRow]>;

export const NOT_NULL = new Set([
  'case_id',
  'customer_id',
  'customer_name',
  'program',
  'local_area_id',
  'career_center_id',
  'case_manager_id',
  'status',
  'opened_on',
  'open_barriers',
  'barriers_without_plan',
  'outreach_awaiting_response',
]);

export function caseloadTableDdl(table: string): string[] {
  const t = assertIdentifier(table);
  const columns = COLUMNS.map(
    ([name, type]) => `  ${name} ${type}${NOT_NULL.has(name) ? ' NOT NULL' : ''}`,
  ).join(',\n');
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
${columns},
  -- The store position the row was built to (STYLE.md 4: replay changes nothing).
  pos_commit bigint NOT NULL,
  pos_prepare bigint NOT NULL,
  -- The domain's folded state: the next event is applied to it with evolve.
  state json NOT NULL,
  PRIMARY KEY (case_id)
)`,
    `CREATE INDEX IF NOT EXISTS ${t}_manager_due_idx ON ${t} (case_manager_id, next_due_on)`,
    `CREATE INDEX IF NOT EXISTS ${t}_center_due_idx ON ${t} (career_center_id, next_due_on)`,
    `CREATE INDEX IF NOT EXISTS ${t}_status_idx ON ${t} (status)`,
  ];
}
