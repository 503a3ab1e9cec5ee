import type { SqlExecutor } from '@caseledger/event-store';
import { calendarCte, calendarParam, type AreaCalendar } from '../area-calendar';
import { asText, asTextOrNull } from '../sql-values';
import { CASELOAD_TABLE } from './caseload.table';
import { assertIdentifier } from '../sql-values';

/** R16 v2: what a reviewer needs to decide a pending suspension: who asked, why, when. */
export interface PendingSuspension {
  reason: string;
  details: string;
  suspendedOn: string;
  /** Staff id of who asked for the closure (null on a v1 event). */
  suspendedBy: string | null;
  /** R14: the job recorded with an EMPLOYMENT_ATTAINED suspension, when there is one. */
  employerName: string | null;
}

/**
 * The pending suspension of each listed case, from the folded state the
 * caseload row keeps (so the review queue needs no second read model).
 */
export async function pendingSuspensionsOf(
  db: SqlExecutor,
  caseIds: readonly string[],
  table = CASELOAD_TABLE,
): Promise<Map<string, PendingSuspension>> {
  const found = new Map<string, PendingSuspension>();
  if (caseIds.length === 0) return found;
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT case_id, state->'suspension'->>'reason' AS reason,
            state->'suspension'->>'details' AS details,
            state->'suspension'->>'suspendedOn' AS suspended_on,
            state->'suspension'->>'suspendedBy' AS suspended_by,
            state->'suspension'->'job'->>'employerName' AS employer_name
       FROM ${assertIdentifier(table)}
      WHERE case_id IN (SELECT json_array_elements_text($1::json))
        AND state->'suspension'->>'reason' IS NOT NULL`,
    [JSON.stringify(caseIds)],
  );
  for (const r of rows) {
    found.set(asText(r.case_id), {
      reason: asText(r.reason),
      details: asTextOrNull(r.details) ?? '',
      suspendedOn: asText(r.suspended_on),
      suspendedBy: asTextOrNull(r.suspended_by),
      employerName: asTextOrNull(r.employer_name),
    });
  }
  return found;
}

export interface CaseloadSize {
  caseManagerId: string;
  /** Cases not closed (ACTIVE and SOFT_EXITED): what the manager still carries. */
  open: number;
  active: number;
  softExited: number;
  /** R16 v2: a suspension awaiting review. */
  suspensionPending: number;
  /** R9: contact overdue today in the case's own area. */
  contactOverdue: number;
  /** R19/R20: a follow-up contact owed today. */
  followUpDue: number;
}

export interface CaseloadSizeFilter {
  careerCenterId?: string;
  /** R13: centers the reader may see; undefined: all. */
  visibleCareerCenters?: readonly string[];
}

/** Caseload size per case manager (supervisors balance caseloads), largest first. */
export async function queryCaseloadSizes(
  db: SqlExecutor,
  calendar: AreaCalendar,
  filter: CaseloadSizeFilter,
  table = CASELOAD_TABLE,
): Promise<CaseloadSize[]> {
  const params: unknown[] = [calendarParam(calendar), calendar.fallback.today];
  const where: string[] = [];
  if (filter.careerCenterId !== undefined) {
    params.push(filter.careerCenterId);
    where.push(`c.career_center_id = $${params.length}`);
  }
  if (filter.visibleCareerCenters !== undefined) {
    params.push(JSON.stringify(filter.visibleCareerCenters));
    where.push(`c.career_center_id IN (SELECT json_array_elements_text($${params.length}::json))`);
  }
  const today = `COALESCE(a.today, $2::date)`;
  const { rows } = await db.query<Record<string, unknown>>(
    `WITH ${calendarCte('$1')}
     SELECT c.case_manager_id,
            count(*) FILTER (WHERE c.status <> 'CLOSED')::text AS open,
            count(*) FILTER (WHERE c.status = 'ACTIVE')::text AS active,
            count(*) FILTER (WHERE c.status = 'SOFT_EXITED')::text AS soft_exited,
            count(*) FILTER (WHERE c.status <> 'CLOSED' AND c.suspended_since IS NOT NULL)::text AS suspension_pending,
            count(*) FILTER (WHERE c.status = 'ACTIVE' AND c.contact_due_on < ${today})::text AS contact_overdue,
            count(*) FILTER (WHERE c.status <> 'CLOSED' AND c.follow_up_due_on < ${today})::text AS follow_up_due
       FROM ${assertIdentifier(table)} c LEFT JOIN area_today a ON a.area = c.local_area_id
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY c.case_manager_id
      ORDER BY count(*) FILTER (WHERE c.status <> 'CLOSED') DESC, c.case_manager_id ASC`,
    params,
  );
  return rows.map((r) => ({
    caseManagerId: asText(r.case_manager_id),
    open: Number(r.open),
    active: Number(r.active),
    softExited: Number(r.soft_exited),
    suspensionPending: Number(r.suspension_pending),
    contactOverdue: Number(r.contact_overdue),
    followUpDue: Number(r.follow_up_due),
  }));
}
