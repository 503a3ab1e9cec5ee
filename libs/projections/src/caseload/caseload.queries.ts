import type { BusinessDate, CaseStatus, CaseStatusFilter, TicklerKind } from '@caseledger/domain';
import { isPastDue } from '@caseledger/domain';
import { positionToString } from '@caseledger/event-store';
import type { SqlExecutor } from '@caseledger/event-store';
import { calendarCte, calendarParam, type AreaCalendar } from '../area-calendar';
import { CHECKPOINTS_TABLE } from '../checkpoints';
import { asDate } from '../sql-values';
import { caseloadSelectList, rowFromDb } from './caseload.codec';
import { CASELOAD_TABLE } from './caseload.table';
import type { CaseloadRow } from './caseload.row';

export interface CaseloadFilter {
  caseManagerId?: string;
  careerCenterId?: string;
  /** Centers the reader may see (R13: own center and clearances); undefined: all. */
  visibleCareerCenters?: readonly string[];
  /** SUSPENDED (v1 value) lists the cases with a pending suspension (R16 v2). */
  status?: CaseStatusFilter;
  /** Only cases whose tickler of this kind is due today (R9 CONTACT_DUE, R19/R20 FOLLOW_UP_DUE). */
  tickler?: TicklerKind;
  /** R9: only cases whose contact is overdue today (true) or not (false). */
  overdue?: boolean;
  /** Only cases whose nearest deadline falls within this many days from today. */
  dueWithinDays?: number;
  /** Nearest deadline first (default), or oldest pending suspension first (the review queue). */
  orderBy?: 'nextDue' | 'suspendedSince';
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface CaseloadItem {
  caseId: string;
  customerName: string;
  status: CaseStatus;
  program: string;
  localAreaId: string;
  careerCenterId: string;
  caseManagerId: string;
  lastQualifyingContactOn: BusinessDate | null;
  contactDueOn: BusinessDate | null;
  softExitDueOn: BusinessDate | null;
  followUpDueOn: BusinessDate | null;
  nextDueOn: BusinessDate | null;
  /** R9, derived from today's date in the area's zone at query time. */
  contactOverdue: boolean;
  openBarriers: number;
  /** R7: outreach sent and awaiting the customer's response. */
  outreachAwaitingResponse: number;
  /** R16 v2: a pending suspension, shown beside the status. */
  suspendedSince: BusinessDate | null;
  suspensionPending: boolean;
  /** R19/R20: a follow-up contact is owed (today is after followUpDueOn). */
  followUpDue: boolean;
  /** The ticklers due today, for the worklist (R9, R19, R20). */
  ticklers: TicklerKind[];
  /** R17/R14 v2: the program exit date and the closure's approval date. */
  exitDate: BusinessDate | null;
  closedOn: BusinessDate | null;
  followUpUntil: BusinessDate | null;
  /** The store position this row was built to. */
  position: string;
}

export interface Freshness {
  /** The position the read model was built to (`commit/prepare`). */
  position: string;
  /** When the projector last committed a batch (ISO instant), null before any. */
  updatedAt: string | null;
}

export interface CaseloadPage {
  cases: CaseloadItem[];
  page: number;
  pageSize: number;
  total: number;
  freshness: Freshness;
}

/** R9: overdue once today (in the area's zone) is after the contact due date. */
export const isContactOverdue = (
  row: Pick<CaseloadRow, 'status' | 'contactDueOn'>,
  today: BusinessDate,
) => row.status === 'ACTIVE' && isPastDue(today, row.contactDueOn);

/** R19/R20: a follow-up is owed once today is after its due date, until the case closes. */
export const isFollowUpDue = (
  row: Pick<CaseloadRow, 'status' | 'followUpDueOn'>,
  today: BusinessDate,
) => row.status !== 'CLOSED' && isPastDue(today, row.followUpDueOn);

export function toCaseloadItem(
  row: CaseloadRow & { position: { commit: bigint; prepare: bigint } },
  today: BusinessDate,
): CaseloadItem {
  const contactOverdue = isContactOverdue(row, today);
  const followUpDue = isFollowUpDue(row, today);
  return {
    caseId: row.caseId,
    customerName: row.customerName,
    status: row.status,
    program: row.program,
    localAreaId: row.localAreaId,
    careerCenterId: row.careerCenterId,
    caseManagerId: row.caseManagerId,
    lastQualifyingContactOn: row.lastQualifyingContactOn,
    contactDueOn: row.contactDueOn,
    softExitDueOn: row.softExitDueOn,
    followUpDueOn: row.followUpDueOn,
    nextDueOn: row.nextDueOn,
    contactOverdue,
    openBarriers: row.openBarriers,
    outreachAwaitingResponse: row.outreachAwaitingResponse,
    suspendedSince: row.suspendedSince,
    suspensionPending: row.suspendedSince !== null && row.status !== 'CLOSED',
    followUpDue,
    ticklers: [
      ...(contactOverdue ? (['CONTACT_DUE'] as const) : []),
      ...(followUpDue ? (['FOLLOW_UP_DUE'] as const) : []),
    ],
    exitDate: row.exitDate,
    closedOn: row.closedOn,
    followUpUntil: row.followUpUntil,
    position: positionToString(row.position),
  };
}

export async function readFreshness(db: SqlExecutor, table = CASELOAD_TABLE): Promise<Freshness> {
  const { rows } = await db.query<{ position: string; updated_at: string }>(
    `SELECT commit_position::text || '/' || prepare_position::text AS position,
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
       FROM ${CHECKPOINTS_TABLE} WHERE name = $1`,
    [table],
  );
  const row = rows[0];
  return row
    ? { position: row.position, updatedAt: row.updated_at }
    : { position: '0/0', updatedAt: null };
}

/**
 * A page of caseload rows, nearest deadline first (cases with no running clock
 * last). Overdue and due-within filters compare against each row's own area's
 * today, so they agree with the `contactOverdue` flag they return.
 */
export async function queryCaseload(
  db: SqlExecutor,
  calendar: AreaCalendar,
  filter: CaseloadFilter,
  table = CASELOAD_TABLE,
): Promise<CaseloadPage> {
  const params: unknown[] = [calendarParam(calendar), calendar.fallback.today];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const today = `COALESCE(a.today, $2::date)`;
  const where: string[] = [];
  if (filter.caseManagerId !== undefined)
    where.push(`c.case_manager_id = ${p(filter.caseManagerId)}`);
  if (filter.careerCenterId !== undefined)
    where.push(`c.career_center_id = ${p(filter.careerCenterId)}`);
  if (filter.visibleCareerCenters !== undefined)
    where.push(
      `c.career_center_id IN (SELECT json_array_elements_text(${p(JSON.stringify(filter.visibleCareerCenters))}::json))`,
    );
  if (filter.status === 'SUSPENDED')
    where.push(`c.status <> 'CLOSED' AND c.suspended_since IS NOT NULL`);
  else if (filter.status !== undefined) where.push(`c.status = ${p(filter.status)}`);
  const overdue = `(c.status = 'ACTIVE' AND c.contact_due_on IS NOT NULL AND c.contact_due_on < ${today})`;
  if (filter.tickler === 'CONTACT_DUE') where.push(overdue);
  if (filter.tickler === 'FOLLOW_UP_DUE')
    where.push(
      `(c.status <> 'CLOSED' AND c.follow_up_due_on IS NOT NULL AND c.follow_up_due_on < ${today})`,
    );
  if (filter.overdue === true) where.push(overdue);
  if (filter.overdue === false) where.push(`NOT ${overdue}`);
  if (filter.dueWithinDays !== undefined)
    where.push(`c.next_due_on <= ${today} + ${p(filter.dueWithinDays)}::integer`);
  const pageSize = Math.max(1, Math.min(500, Math.trunc(filter.pageSize)));
  const page = Math.max(1, Math.trunc(filter.page));
  const limit = p(pageSize);
  const offset = p((page - 1) * pageSize);
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH ${calendarCte('$1')}
     SELECT ${caseloadSelectList('c')}, ${today}::text AS today,
            count(*) OVER () AS total
       FROM ${table} c LEFT JOIN area_today a ON a.area = c.local_area_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${filter.orderBy === 'suspendedSince' ? 'c.suspended_since ASC NULLS LAST' : 'c.next_due_on ASC NULLS LAST'}, c.case_id ASC
      LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  const freshness = await readFreshness(db, table);
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && page > 1)
    total = await countMatching(db, table, where, params.slice(0, -2));
  return {
    cases: rows.map((r) => toCaseloadItem(rowFromDb(r), asDate(r.today))),
    page,
    pageSize,
    total,
    freshness,
  };
}

async function countMatching(
  db: SqlExecutor,
  table: string,
  where: string[],
  params: unknown[],
): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `WITH ${calendarCte('$1')}
     SELECT count(*)::text AS n, $2::date AS fallback_today FROM ${table} c LEFT JOIN area_today a ON a.area = c.local_area_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}
