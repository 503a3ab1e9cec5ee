import { businessDate, isBusinessDate, type BusinessDate } from '@caseledger/domain';
import { EARLIEST_PLAUSIBLE_DATE, edgeToday, readAsOf, type AsOf } from '@caseledger/platform';
import { validationProblem } from '../problems/problem-details';

// The range's bounds and the asOf reading live in libs/platform (the CLI reads --as-of the same way).
export { EARLIEST_PLAUSIBLE_DATE, asOfInstant, edgeToday, type AsOf } from '@caseledger/platform';

/**
 * DESIGN.md "Dates" (v2): every date in a command lies in a plausible range,
 * from 1990-01-01 to today, and planned end dates at most 2 years ahead; a
 * date such as 9999-12-31 is a 400, never an event (it once stalled every
 * consumer: `softExitDueOn` became `+010000-03`). The edge does not know the
 * case's local area, so its "today" is the latest local date anywhere on
 * Earth (UTC + 1 day, which covers UTC+14); the domain judges the exact local
 * date against the area's zone.
 */
export const PLANNED_YEARS_AHEAD = 2;

/** What a date means: a fact that happened (at most today) or a plan (up to 2 years ahead). */
export type DateKind = 'past' | 'planned';

/** The same calendar day `years` later (29 February becomes 28 February). */
export function addYears(date: BusinessDate, years: number): BusinessDate {
  const year = Number(date.slice(0, 4)) + years;
  const shifted = `${String(year).padStart(4, '0')}${date.slice(4)}`;
  return isBusinessDate(shifted) ? shifted : businessDate(`${String(year).padStart(4, '0')}-02-28`);
}

export interface DateRange {
  earliest: BusinessDate;
  latest: BusinessDate;
}

export function plausibleRange(kind: DateKind, now: Date): DateRange {
  const today = edgeToday(now);
  return {
    earliest: EARLIEST_PLAUSIBLE_DATE,
    latest: kind === 'planned' ? addYears(today, PLANNED_YEARS_AHEAD) : today,
  };
}

/** Why `value` is not a plausible business date of this kind, or undefined when it is. */
export function implausibleDate(value: unknown, kind: DateKind, now: Date): string | undefined {
  const { earliest, latest } = plausibleRange(kind, now);
  if (!isBusinessDate(value)) return `must be a real calendar date written YYYY-MM-DD`;
  if (value < earliest || value > latest)
    return `must lie between ${earliest} and ${latest}${kind === 'planned' ? ' (at most 2 years ahead)' : ''}`;
  return undefined;
}

/**
 * Strictly parses an `asOf` query value; out-of-range or malformed is a 400
 * (`field` names the parameter). Reusable for every route that takes one.
 */
export function parseAsOf(value: unknown, now: Date, field = 'asOf'): AsOf | undefined {
  if (value === undefined) return undefined;
  const refuse = (message: string) =>
    validationProblem(`${field} ${message}`, [{ field, message }]);
  if (typeof value !== 'string')
    throw refuse('must be given once, as a date YYYY-MM-DD or an ISO-8601 timestamp with offset');
  const asOf = readAsOf(value, now);
  if ('refused' in asOf) throw refuse(asOf.refused);
  return asOf;
}
