import { evolve, initialCaseState, type CaseState } from '@caseledger/domain';
import { comparePositions } from '@caseledger/event-store';
import type { Position, RecordedEvent } from '@caseledger/event-store';
import type { SqlExecutor } from '@caseledger/event-store';
import type { Projection, RebuildFolder } from '../projection';
import { asText } from '../sql-values';
import { caseloadRowOf, type CaseloadRow } from './caseload.row';
import {
  caseIdOfStream,
  caseIdsOf,
  projectCaseloadBatch,
  toCaseEvent,
  type CaseloadEntry,
} from './caseload.projection';

export const CASELOAD_TABLE = 'caseload';

/** Rows a rebuild keeps in memory (about 100 MB of folded states at most). */
const CACHE_LIMIT = 50_000;

/** `[column, SQL type, row field]` — the one list the DDL, the upsert and the reads share. */
const COLUMNS = [
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

const NOT_NULL = new Set([
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

/** Only identifiers we generate ever reach SQL text; this keeps it that way. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a table name: ${name}`);
  return name;
}

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

/** Row columns as text (dates as YYYY-MM-DD whatever the driver's date parser does). */
export function caseloadSelectList(alias = ''): string {
  const a = alias === '' ? '' : `${assertIdentifier(alias)}.`;
  return [
    ...COLUMNS.map(([name, type]) =>
      type === 'date' || type === 'json' ? `${a}${name}::text AS ${name}` : `${a}${name}`,
    ),
    `${a}pos_commit::text AS pos_commit`,
    `${a}pos_prepare::text AS pos_prepare`,
  ].join(', ');
}

type DbRow = Record<string, unknown>;

/** A caseload row as read back from SQL (the state JSON stays out). */
export function rowFromDb(db: DbRow): CaseloadRow & { position: Position } {
  const row: Record<string, unknown> = {};
  for (const [name, type, field] of COLUMNS) {
    const value = db[name];
    if (value === null || value === undefined) row[field] = null;
    else if (type === 'integer') row[field] = Number(value);
    else if (type === 'json') row[field] = JSON.parse(asText(value)) as unknown;
    else row[field] = asText(value);
  }
  return {
    ...(row as unknown as CaseloadRow),
    position: { commit: BigInt(String(db.pos_commit)), prepare: BigInt(String(db.pos_prepare)) },
  };
}

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
    const row = caseloadRowOf(entry.state);
    if (row === null) continue;
    const record: Record<string, unknown> = {};
    for (const [name, , field] of COLUMNS) record[name] = row[field];
    record.pos_commit = entry.position.commit.toString();
    record.pos_prepare = entry.position.prepare.toString();
    record.state = entry.state;
    records.push(record);
  }
  if (records.length === 0) return 0;
  const t = assertIdentifier(table);
  const names = [...COLUMNS.map(([n]) => n), 'pos_commit', 'pos_prepare', 'state'];
  const recordType = [
    ...COLUMNS.map(([n, type]) => `${n} ${type}`),
    'pos_commit bigint',
    'pos_prepare bigint',
    'state json',
  ].join(', ');
  const updates = names
    .filter((n) => n !== 'case_id')
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  const result = await tx.query(
    `INSERT INTO ${t} (${names.join(', ')})
     SELECT ${names.join(', ')} FROM json_to_recordset($1::json) AS r(${recordType})
     ON CONFLICT (case_id) DO UPDATE SET ${updates}
     WHERE (${t}.pos_commit, ${t}.pos_prepare) < (EXCLUDED.pos_commit, EXCLUDED.pos_prepare)`,
    [JSON.stringify(records)],
  );
  return result.rowCount;
}

/**
 * The rebuild's fold (issue 5): the shadow table is written by the rebuild
 * alone, so the rows it last wrote are the ones in memory and are never read
 * back or re-parsed while they stay there. Each changed row is serialised once
 * per write; past CACHE_LIMIT rows, the unchanged ones are dropped after a
 * commit and read back (once committed) when touched again.
 */
export class CaseloadRebuildFolder implements RebuildFolder {
  private readonly entries = new Map<string, CaseloadEntry>();
  private changed = new Set<string>();
  private trimmed = false;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly table: string,
    private readonly limit = CACHE_LIMIT,
  ) {}

  async fold(events: readonly RecordedEvent[], settled: () => Promise<void>): Promise<void> {
    if (this.trimmed && caseIdsOf(events).some((id) => !this.entries.has(id))) {
      // The write in flight may trim when it commits: which rows are missing is asked after it.
      await settled();
      const missing = caseIdsOf(events).filter((id) => !this.entries.has(id));
      for (const [id, entry] of await loadCaseloadEntries(this.sql, this.table, missing)) {
        this.entries.set(id, entry);
      }
    }
    for (const event of events) {
      const caseId = caseIdOfStream(event.streamId);
      if (caseId === undefined) continue;
      const entry = this.entries.get(caseId);
      if (entry && comparePositions(event.position, entry.position) <= 0) continue;
      // evolve stays pure: each event yields a new state; only the last one per write is serialised.
      const state = evolve(entry?.state ?? initialCaseState(), toCaseEvent(event));
      this.entries.set(caseId, { state, position: event.position });
      this.changed.add(caseId);
    }
  }

  takeChanged(): (tx: SqlExecutor) => Promise<number> {
    const batch = new Map<string, CaseloadEntry>();
    for (const id of this.changed) batch.set(id, this.entries.get(id) as CaseloadEntry);
    this.changed = new Set();
    return (tx) => saveCaseloadEntries(tx, this.table, batch);
  }

  trim(): void {
    if (this.entries.size <= this.limit) return;
    for (const id of this.entries.keys()) if (!this.changed.has(id)) this.entries.delete(id);
    this.trimmed = true;
  }
}

/**
 * The caseload projection: read many events, load the affected rows once,
 * evolve them with the domain's own `evolve`, write each case once per batch.
 */
export const caseloadProjection: Projection = {
  name: 'caseload',
  table: CASELOAD_TABLE,
  createTableSql: caseloadTableDdl,
  async applyBatch(
    tx: SqlExecutor,
    table: string,
    events: readonly RecordedEvent[],
    cache?: Map<string, unknown>,
  ) {
    const ids = caseIdsOf(events);
    if (ids.length === 0) return 0;
    const current = new Map<string, CaseloadEntry>();
    const missing = cache ? ids.filter((id) => !cache.has(id)) : ids;
    if (cache)
      for (const id of ids) if (cache.has(id)) current.set(id, cache.get(id) as CaseloadEntry);
    for (const [id, entry] of await loadCaseloadEntries(tx, table, missing)) current.set(id, entry);
    const changed = projectCaseloadBatch(current, events, toCaseEvent);
    const written = await saveCaseloadEntries(tx, table, changed);
    if (cache) {
      if (cache.size > CACHE_LIMIT) cache.clear();
      for (const [id, entry] of changed) cache.set(id, entry);
    }
    return written;
  },
  rebuildFolder: (sql: SqlExecutor, table: string) => new CaseloadRebuildFolder(sql, table),
};
