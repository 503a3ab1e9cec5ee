import type { BusinessDate } from '@caseledger/domain';
import type { SqlExecutor } from '@caseledger/event-store';
import { calendarCte, calendarParam, type AreaCalendar } from '../area-calendar';
import { asDate, asDateOrNull, asText } from '../sql-values';
import { CASELOAD_TABLE } from '../caseload/caseload.table';
import { readFreshness, type Freshness } from '../caseload/caseload.queries';

/**
 * The auditors' compliance lists, derived at query time from the
 * caseload rows and each area's today, so nothing here can go stale between
 * batches. `from`/`to` bound the date each finding is about (the missed
 * deadline, the suspension, the closure); barriers without a plan are listed
 * for cases open at any time in the window.
 */
export interface ComplianceWindow {
  from?: BusinessDate;
  to?: BusinessDate;
  /** Most findings listed per kind (counts are always complete). */
  limit?: number;
  /**
   * R13 (v2): only cases of these career centers (the reader's own and cleared
   * ones); undefined for auditors and admins, who read all.
   */
  visibleCareerCenters?: readonly string[];
}

export interface CaseRef {
  caseId: string;
  customerName: string;
  localAreaId: string;
  careerCenterId: string;
  caseManagerId: string;
}

export interface ComplianceReport {
  from: BusinessDate | null;
  to: BusinessDate | null;
  freshness: Freshness;
  /** R8/R17: past the soft-exit deadline but not exited (empty while the scheduler is healthy). */
  softExitOverdue: {
    count: number;
    cases: Array<CaseRef & { softExitDueOn: BusinessDate; daysPast: number }>;
  };
  /** R9: contact-overdue cases per local area. */
  contactOverdueByArea: Array<{
    localAreaId: string;
    today: BusinessDate;
    count: number;
    cases: Array<CaseRef & { contactDueOn: BusinessDate; daysOverdue: number }>;
  }>;
  /** R16: suspensions awaiting review longer than the area's `suspensionReviewLimitDays`. */
  suspensionsAwaitingReview: {
    count: number;
    cases: Array<
      CaseRef & { suspendedSince: BusinessDate; daysAwaiting: number; limitDays: number }
    >;
  };
  /** R19: EMPLOYMENT_ATTAINED closures without a verified follow-up contact. */
  employmentClosuresWithoutFollowUp: {
    count: number;
    cases: Array<
      CaseRef & { closedOn: BusinessDate | null; employmentStartDate: BusinessDate | null }
    >;
  };
  /** R11: barriers recorded without a plan. */
  barriersWithoutPlan: { count: number; cases: Array<CaseRef & { barrierIds: string[] }> };
}

type Row = Record<string, unknown>;

const ref = (r: Row): CaseRef => ({
  caseId: asText(r.case_id),
  customerName: asText(r.customer_name),
  localAreaId: asText(r.local_area_id),
  careerCenterId: asText(r.career_center_id),
  caseManagerId: asText(r.case_manager_id),
});

const REF_COLUMNS =
  'c.case_id, c.customer_name, c.local_area_id, c.career_center_id, c.case_manager_id';

export async function queryCompliance(
  db: SqlExecutor,
  calendar: AreaCalendar,
  window: ComplianceWindow = {},
  table = CASELOAD_TABLE,
): Promise<ComplianceReport> {
  const limit = Math.max(1, Math.min(10_000, window.limit ?? 1000));
  const from = window.from ?? null;
  const to = window.to ?? null;
  const today = 'COALESCE(a.today, $2::date)';
  const reviewLimit = 'COALESCE(a.review_limit, $3::integer)';
  // $1 calendar, $2 fallback today, $3 fallback review limit, $4 from, $5 to, $6 limit,
  // $7 the visible career centers (JSON array) or null for all.
  const params = [
    calendarParam(calendar),
    calendar.fallback.today,
    calendar.fallback.suspensionReviewLimitDays,
    from,
    to,
    limit,
    window.visibleCareerCenters ? JSON.stringify(window.visibleCareerCenters) : null,
  ];
  const visible = `($7::json IS NULL OR c.career_center_id IN (SELECT json_array_elements_text($7::json)))`;
  const inWindow = (column: string): string =>
    `($4::date IS NULL OR ${column} >= $4::date) AND ($5::date IS NULL OR ${column} <= $5::date)`;
  const finding = async (
    condition: string,
    extra: string,
    order: string,
  ): Promise<{ count: number; rows: Row[] }> => {
    const { rows } = await db.query<Row>(
      `WITH ${calendarCte('$1')}
       SELECT ${REF_COLUMNS}, ${extra}, ${today}::text AS today, count(*) OVER () AS total,
              $3::integer AS fallback_limit, $4::date AS window_from, $5::date AS window_to
         FROM ${table} c LEFT JOIN area_today a ON a.area = c.local_area_id
        WHERE ${condition} AND ${visible}
        ORDER BY ${order}
        LIMIT $6`,
      params,
    );
    return { count: rows[0] ? Number(rows[0].total) : 0, rows };
  };

  const softExit = await finding(
    `c.status = 'ACTIVE' AND c.soft_exit_due_on < ${today} AND ${inWindow('c.soft_exit_due_on')}`,
    `c.soft_exit_due_on::text AS due, (${today} - c.soft_exit_due_on) AS days`,
    'c.soft_exit_due_on, c.case_id',
  );
  const contact = await finding(
    `c.status = 'ACTIVE' AND c.contact_due_on < ${today} AND ${inWindow('c.contact_due_on')}`,
    `c.contact_due_on::text AS due, (${today} - c.contact_due_on) AS days`,
    'c.local_area_id, c.contact_due_on, c.case_id',
  );
  const suspensions = await finding(
    `c.status <> 'CLOSED' AND c.suspended_since IS NOT NULL
       AND (${today} - c.suspended_since) > ${reviewLimit} AND ${inWindow('c.suspended_since')}`,
    `c.suspended_since::text AS since, (${today} - c.suspended_since) AS days, ${reviewLimit} AS limit_days`,
    'c.suspended_since, c.case_id',
  );
  const closures = await finding(
    `c.status = 'CLOSED' AND c.closure_reason = 'EMPLOYMENT_ATTAINED' AND c.follow_up_verified_on IS NULL
       AND ${inWindow('COALESCE(c.closed_on, c.exit_date)')}`,
    `COALESCE(c.closed_on, c.exit_date)::text AS closed_on, c.employment_start_date::text AS job_start`,
    'COALESCE(c.closed_on, c.exit_date), c.case_id',
  );
  const barriers = await finding(
    `json_array_length(c.barriers_without_plan) > 0
       AND ($5::date IS NULL OR c.opened_on <= $5::date)
       AND ($4::date IS NULL OR c.exit_date IS NULL OR c.exit_date >= $4::date)`,
    `c.barriers_without_plan::text AS barrier_ids`,
    'c.case_id',
  );

  // Counts per area are complete even when the listed cases stop at `limit`.
  const { rows: areaCounts } = await db.query<Row>(
    `WITH ${calendarCte('$1')}
     SELECT c.local_area_id, ${today}::text AS today, count(*)::integer AS n,
            $3::integer AS fallback_limit, $4::date AS window_from, $5::date AS window_to, $6::integer AS lim
       FROM ${table} c LEFT JOIN area_today a ON a.area = c.local_area_id
      WHERE c.status = 'ACTIVE' AND c.contact_due_on < ${today} AND ${inWindow('c.contact_due_on')}
        AND ${visible}
      GROUP BY c.local_area_id, ${today}
      ORDER BY c.local_area_id`,
    params,
  );
  const byArea = new Map<string, ComplianceReport['contactOverdueByArea'][number]>();
  for (const r of areaCounts) {
    const area = asText(r.local_area_id);
    byArea.set(area, { localAreaId: area, today: asDate(r.today), count: Number(r.n), cases: [] });
  }
  for (const r of contact.rows) {
    const area = asText(r.local_area_id);
    const group = byArea.get(area) ?? {
      localAreaId: area,
      today: asDate(r.today),
      count: 0,
      cases: [],
    };
    group.cases.push({ ...ref(r), contactDueOn: asDate(r.due), daysOverdue: Number(r.days) });
    byArea.set(area, group);
  }

  return {
    from,
    to,
    freshness: await readFreshness(db, table),
    softExitOverdue: {
      count: softExit.count,
      cases: softExit.rows.map((r) => ({
        ...ref(r),
        softExitDueOn: asDate(r.due),
        daysPast: Number(r.days),
      })),
    },
    contactOverdueByArea: [...byArea.values()],
    suspensionsAwaitingReview: {
      count: suspensions.count,
      cases: suspensions.rows.map((r) => ({
        ...ref(r),
        suspendedSince: asDate(r.since),
        daysAwaiting: Number(r.days),
        limitDays: Number(r.limit_days),
      })),
    },
    employmentClosuresWithoutFollowUp: {
      count: closures.count,
      cases: closures.rows.map((r) => ({
        ...ref(r),
        closedOn: asDateOrNull(r.closed_on),
        employmentStartDate: asDateOrNull(r.job_start),
      })),
    },
    barriersWithoutPlan: {
      count: barriers.count,
      cases: barriers.rows.map((r) => ({
        ...ref(r),
        barrierIds: JSON.parse(asText(r.barrier_ids)) as string[],
      })),
    },
  };
}
