import type { CaseState } from '@caseledger/domain';
import type { SqlExecutor } from '@caseledger/event-store';
import { assertIdentifier } from '../sql-values';
import { RECORD_COLUMNS, RECORD_TYPE, copyLineOf, recordOf } from './caseload.codec';
import type { CaseloadEntry } from './caseload.projection';

/** Loading and saving caseload entries (the folded state and its position, with the row). */

export async function loadCaseloadEntries(
  tx: SqlExecutor,
  table: string,
  caseIds: readonly string[],
): Promise<Map<string, CaseloadEntry>> {
  const entries = new Map<string, CaseloadEntry>();
  if (caseIds.length === 0) return entries;
  const { rows } = await tx.query<{
    case_id: string;
    pos_commit: string;
    pos_prepare: string;
    state: string;
  }>(
    `SELECT case_id, pos_commit::text AS pos_commit, pos_prepare::text AS pos_prepare, state::text AS state
       FROM ${assertIdentifier(table)}
      WHERE case_id IN (SELECT json_array_elements_text($1::json))`,
    [JSON.stringify(caseIds)],
  );
  for (const r of rows) {
    entries.set(r.case_id, {
      state: JSON.parse(r.state) as CaseState,
      position: { commit: BigInt(r.pos_commit), prepare: BigInt(r.pos_prepare) },
    });
  }
  return entries;
}

/**
 * Writes the changed entries in one statement. The `WHERE` keeps an older
 * position from ever overwriting a newer row, even if two writers raced.
 */
export async function saveCaseloadEntries(
  tx: SqlExecutor,
  table: string,
  entries: ReadonlyMap<string, CaseloadEntry>,
): Promise<number> {
  const records: Record<string, unknown>[] = [];
  for (const entry of entries.values()) {
    const record = recordOf(entry);
    if (record !== null) records.push(record);
  }
  if (records.length === 0) return 0;
  const t = assertIdentifier(table);
  const names = RECORD_COLUMNS;
  const updates = names
    .filter((n) => n !== 'case_id')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  const result = await tx.query(
    `INSERT INTO ${t} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM json_to_recordset($1::json) AS r(${RECORD_TYPE})
     ON CONFLICT (case_id) DO UPDATE SET ${updates}
     WHERE (${t}.pos_commit, ${t}.pos_prepare) < (EXCLUDED.pos_commit, EXCLUDED.pos_prepare)`,
    [JSON.stringify(records)],
  );
  return result.rowCount;
}

/**
 * Writes entries whose rows the table does not hold yet: with COPY where the
 * executor has it (a `pg` transaction), else with the upsert. Only for a table
 * one writer owns (a rebuild's shadow): a row another writer added meanwhile
 * would make the COPY fail on the primary key.
 */
export async function insertNewCaseloadEntries(
  tx: SqlExecutor,
  table: string,
  entries: ReadonlyMap<string, CaseloadEntry>,
): Promise<number> {
  if (entries.size === 0) return 0;
  if (!tx.copyFrom) return saveCaseloadEntries(tx, table, entries);
  const copy = `COPY ${assertIdentifier(table)} (${RECORD_COLUMNS.join(', ')}) FROM STDIN`;
  return tx.copyFrom(copy, copyLines(entries.values()));
}

/** COPY lines, a few hundred rows per chunk (each chunk is one write to the socket). */
function* copyLines(entries: Iterable<CaseloadEntry>): Generator<string> {
  let chunk = '';
  let rows = 0;
  for (const entry of entries) {
    const line = copyLineOf(entry);
    if (line === null) continue;
    chunk += line;
    if (++rows % 256 === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
