import type { CaseStatusFilter } from '@caseledger/domain';
import type { RecordedEvent, SqlExecutor } from '@caseledger/event-store';
import { caseIdsOf } from '../caseload/caseload.projection';
import { assertIdentifier } from '../sql-values';
import type { Freshness } from '../caseload/caseload.queries';
import { readFreshness } from '../caseload/caseload.queries';
import type { Projection } from '../projection';
import { asText, asTextOrNull } from '../sql-values';
import {
  foldsIntoSearch,
  projectSearchBatch,
  searchKey,
  type CaseSearchRow,
} from './case-search.projection';

export const CASE_SEARCH_TABLE = 'case_search';

/** Rows a rebuild keeps in memory between its batches. */
const CACHE_LIMIT = 100_000;

export function caseSearchTableDdl(table: string): string[] {
  const t = assertIdentifier(table);
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
  case_id text PRIMARY KEY,
  customer_id text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  -- Lower case, accents dropped (searchKey): prefix search by LIKE on these.
  first_name_key text NOT NULL,
  last_name_key text NOT NULL,
  program text NOT NULL,
  career_center_id text NOT NULL,
  local_area_id text NOT NULL,
  case_manager_id text NOT NULL,
  status text NOT NULL,
  opened_on date NOT NULL,
  exit_date date,
  closed_on date,
  suspension_pending boolean NOT NULL,
  personal_data_disposed boolean NOT NULL,
  -- The store position the row was built to (STYLE.md 4: replay changes nothing).
  pos_commit bigint NOT NULL,
  pos_prepare bigint NOT NULL
)`,
    `CREATE INDEX IF NOT EXISTS ${t}_customer_idx ON ${t} (customer_id, program)`,
    `CREATE INDEX IF NOT EXISTS ${t}_last_name_idx ON ${t} (last_name_key text_pattern_ops)`,
    `CREATE INDEX IF NOT EXISTS ${t}_first_name_idx ON ${t} (first_name_key text_pattern_ops)`,
    `CREATE INDEX IF NOT EXISTS ${t}_center_idx ON ${t} (career_center_id, status)`,
    `CREATE INDEX IF NOT EXISTS ${t}_manager_idx ON ${t} (case_manager_id)`,
  ];
}

const SELECT_LIST = `case_id, customer_id, first_name, last_name, program, career_center_id,
  local_area_id, case_manager_id, status, opened_on::text AS opened_on, exit_date::text AS exit_date,
  closed_on::text AS closed_on, suspension_pending, personal_data_disposed,
  pos_commit::text AS pos_commit, pos_prepare::text AS pos_prepare`;

const asBool = (value: unknown): boolean => value === true || value === 't' || value === 'true';

function rowFromDb(r: Record<string, unknown>): CaseSearchRow {
  return {
    caseId: asText(r.case_id),
    customerId: asText(r.customer_id),
    firstName: asText(r.first_name),
    lastName: asText(r.last_name),
    program: asText(r.program),
    careerCenterId: asText(r.career_center_id),
    localAreaId: asText(r.local_area_id),
    caseManagerId: asText(r.case_manager_id),
    status: asText(r.status) as CaseSearchRow['status'],
    openedOn: asText(r.opened_on),
    exitDate: asTextOrNull(r.exit_date),
    closedOn: asTextOrNull(r.closed_on),
    suspensionPending: asBool(r.suspension_pending),
    personalDataDisposed: asBool(r.personal_data_disposed),
    position: { commit: BigInt(asText(r.pos_commit)), prepare: BigInt(asText(r.pos_prepare)) },
  };
}

async function loadRows(
  tx: SqlExecutor,
  table: string,
  caseIds: readonly string[],
): Promise<Map<string, CaseSearchRow>> {
  const rows = new Map<string, CaseSearchRow>();
  if (caseIds.length === 0) return rows;
  const result = await tx.query<Record<string, unknown>>(
    `SELECT ${SELECT_LIST} FROM ${assertIdentifier(table)}
      WHERE case_id IN (SELECT json_array_elements_text($1::json))`,
    [JSON.stringify(caseIds)],
  );
  for (const r of result.rows) {
    const row = rowFromDb(r);
    rows.set(row.caseId, row);
  }
  return rows;
}

/** One statement per batch; an older position never overwrites a newer row. */
async function saveRows(
  tx: SqlExecutor,
  table: string,
  rows: ReadonlyMap<string, CaseSearchRow>,
): Promise<number> {
  if (rows.size === 0) return 0;
  const records = [...rows.values()].map((r) => ({
    case_id: r.caseId,
    customer_id: r.customerId,
    first_name: r.firstName,
    last_name: r.lastName,
    first_name_key: searchKey(r.firstName),
    last_name_key: searchKey(r.lastName),
    program: r.program,
    career_center_id: r.careerCenterId,
    local_area_id: r.localAreaId,
    case_manager_id: r.caseManagerId,
    status: r.status,
    opened_on: r.openedOn,
    exit_date: r.exitDate,
    closed_on: r.closedOn,
    suspension_pending: r.suspensionPending,
    personal_data_disposed: r.personalDataDisposed,
    pos_commit: r.position.commit.toString(),
    pos_prepare: r.position.prepare.toString(),
  }));
  const columns: Array<[string, string]> = [
    ['case_id', 'text'],
    ['customer_id', 'text'],
    ['first_name', 'text'],
    ['last_name', 'text'],
    ['first_name_key', 'text'],
    ['last_name_key', 'text'],
    ['program', 'text'],
    ['career_center_id', 'text'],
    ['local_area_id', 'text'],
    ['case_manager_id', 'text'],
    ['status', 'text'],
    ['opened_on', 'date'],
    ['exit_date', 'date'],
    ['closed_on', 'date'],
    ['suspension_pending', 'boolean'],
    ['personal_data_disposed', 'boolean'],
    ['pos_commit', 'bigint'],
    ['pos_prepare', 'bigint'],
  ];
  const t = assertIdentifier(table);
  const names = columns.map(([n]) => n).join(', ');
  const updates = columns
    .filter(([n]) => n !== 'case_id')
    .map(([n]) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  const result = await tx.query(
    `INSERT INTO ${t} (${names})
     SELECT ${names} FROM json_to_recordset($1::json) AS r(${columns.map(([n, type]) => `${n} ${type}`).join(', ')})
     ON CONFLICT (case_id) DO UPDATE SET ${updates}
     WHERE (${t}.pos_commit, ${t}.pos_prepare) < (EXCLUDED.pos_commit, EXCLUDED.pos_prepare)`,
    [JSON.stringify(records)],
  );
  return result.rowCount;
}

/**
 * The case-search projection, fed like the caseload (checkpoint in the batch's
 * transaction, rebuilt into a shadow table by `projections rebuild case-search`).
 */
export const caseSearchProjection: Projection = {
  name: 'case-search',
  table: CASE_SEARCH_TABLE,
  createTableSql: caseSearchTableDdl,
  async applyBatch(tx, table, events: readonly RecordedEvent[], cache?: Map<string, unknown>) {
    const relevant = events.filter((e) => foldsIntoSearch(e.type));
    const ids = caseIdsOf(relevant);
    if (ids.length === 0) return 0;
    const current = new Map<string, CaseSearchRow>();
    const missing = cache ? ids.filter((id) => !cache.has(id)) : ids;
    if (cache)
      for (const id of ids) if (cache.has(id)) current.set(id, cache.get(id) as CaseSearchRow);
    for (const [id, row] of await loadRows(tx, table, missing)) current.set(id, row);
    const changed = projectSearchBatch(current, relevant);
    const written = await saveRows(tx, table, changed);
    if (cache) {
      if (cache.size > CACHE_LIMIT) cache.clear();
      for (const [id, row] of changed) cache.set(id, row);
    }
    return written;
  },
};

export interface CaseSearchFilter {
  customerId?: string;
  /** First or last name, prefix, case- and accent-insensitive. */
  name?: string;
  careerCenterId?: string;
  caseManagerId?: string;
  program?: string;
  /** SUSPENDED (v1 value): the cases with a pending suspension (R16 v2). */
  status?: CaseStatusFilter;
  /** R13: centers the reader may see; undefined: all. */
  visibleCareerCenters?: readonly string[];
  page: number;
  pageSize: number;
}

export interface CaseSearchItem {
  caseId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  program: string;
  careerCenterId: string;
  localAreaId: string;
  caseManagerId: string;
  status: string;
  openedOn: string;
  exitDate: string | null;
  closedOn: string | null;
  suspensionPending: boolean;
  personalDataDisposed: boolean;
}

export interface CaseSearchPage {
  cases: CaseSearchItem[];
  page: number;
  pageSize: number;
  total: number;
  freshness: Freshness;
}

/** LIKE's own wildcards in a user's prefix are literal. */
const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function queryCaseSearch(
  db: SqlExecutor,
  filter: CaseSearchFilter,
  table = CASE_SEARCH_TABLE,
): Promise<CaseSearchPage> {
  const params: unknown[] = [];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (filter.customerId !== undefined) where.push(`customer_id = ${p(filter.customerId)}`);
  if (filter.name !== undefined && searchKey(filter.name) !== '') {
    const prefix = p(likePrefix(searchKey(filter.name)));
    where.push(
      `(first_name_key LIKE ${prefix} ESCAPE '\\' OR last_name_key LIKE ${prefix} ESCAPE '\\')`,
    );
  }
  if (filter.careerCenterId !== undefined)
    where.push(`career_center_id = ${p(filter.careerCenterId)}`);
  if (filter.caseManagerId !== undefined)
    where.push(`case_manager_id = ${p(filter.caseManagerId)}`);
  if (filter.program !== undefined) where.push(`program = ${p(filter.program)}`);
  if (filter.visibleCareerCenters !== undefined)
    where.push(
      `career_center_id IN (SELECT json_array_elements_text(${p(JSON.stringify(filter.visibleCareerCenters))}::json))`,
    );
  if (filter.status === 'SUSPENDED') where.push(`status <> 'CLOSED' AND suspension_pending`);
  else if (filter.status !== undefined) where.push(`status = ${p(filter.status)}`);
  const pageSize = Math.max(1, Math.min(500, Math.trunc(filter.pageSize)));
  const page = Math.max(1, Math.trunc(filter.page));
  const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const t = assertIdentifier(table);
  const countParams = [...params];
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${SELECT_LIST}, count(*) OVER () AS total FROM ${t} ${whereSql}
      ORDER BY last_name_key ASC, first_name_key ASC, opened_on DESC, case_id ASC
      LIMIT ${p(pageSize)} OFFSET ${p((page - 1) * pageSize)}`,
    params,
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page > 1) {
    const counted = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${t} ${whereSql}`,
      countParams,
    );
    total = Number(counted.rows[0]?.n ?? 0);
  }
  return {
    cases: rows.map((r) => {
      const { position: _position, ...item } = rowFromDb(r);
      return item;
    }),
    page,
    pageSize,
    total,
    freshness: await readFreshness(db, table),
  };
}

/** Cases of a customer in a program not yet closed or exited (the duplicate-open check's history side). */
export async function findOpenCasesOf(
  db: SqlExecutor,
  customerId: string,
  program: string,
  table = CASE_SEARCH_TABLE,
): Promise<string[]> {
  const { rows } = await db.query<{ case_id: string }>(
    `SELECT case_id FROM ${assertIdentifier(table)}
      WHERE customer_id = $1 AND program = $2 AND status = 'ACTIVE' ORDER BY opened_on, case_id`,
    [customerId, program],
  );
  return rows.map((r) => r.case_id);
}
