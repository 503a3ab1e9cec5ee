import { businessDateAt, type BusinessDate, type ContactPolicy } from '@caseledger/domain';
import { defaultPolicy } from '@caseledger/domain';

/** The slice of a policy book the read side needs (structurally a `PolicyBook`). */
export interface AreaPolicies {
  policyOf(localAreaId: string): ContactPolicy | undefined;
  readonly policies: readonly ContactPolicy[];
}

/**
 * Today's business date per local area (DESIGN.md: dates are business dates in
 * the area's zone), for deriving `contactOverdue` and compliance findings at
 * query time instead of storing them stale.
 */
export interface AreaCalendar {
  /** Areas with a configured policy: their today and suspension review limit. */
  areas: Array<{ area: string; today: BusinessDate; suspensionReviewLimitDays: number }>;
  /** For an area without a configured policy (the statewide default). */
  fallback: { today: BusinessDate; suspensionReviewLimitDays: number };
  todayIn(localAreaId: string): BusinessDate;
}

export function areaCalendar(policies: AreaPolicies, now: Date): AreaCalendar {
  const fallbackPolicy = defaultPolicy('*');
  const fallback = {
    today: businessDateAt(now, fallbackPolicy.timeZone),
    suspensionReviewLimitDays: fallbackPolicy.suspensionReviewLimitDays,
  };
  const areas = policies.policies.map((p) => ({
    area: p.localAreaId,
    today: businessDateAt(now, p.timeZone),
    suspensionReviewLimitDays: p.suspensionReviewLimitDays,
  }));
  const byArea = new Map(areas.map((a) => [a.area, a.today]));
  return { areas, fallback, todayIn: (area) => byArea.get(area) ?? fallback.today };
}

/** SQL pieces joining a table aliased `c` to the calendar passed as `$n` (JSON). */
export const calendarCte = (param: string): string =>
  `area_today AS (SELECT * FROM json_to_recordset(${param}::json) AS a(area text, today date, review_limit integer))`;

export const calendarParam = (calendar: AreaCalendar): string =>
  JSON.stringify(
    calendar.areas.map((a) => ({
      area: a.area,
      today: a.today,
      review_limit: a.suspensionReviewLimitDays,
    })),
  );
