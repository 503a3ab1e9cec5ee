import {
  addDays,
  businessDateAt,
  isBusinessDate,
  startOfBusinessDate,
  type BusinessDate,
} from '@caseledger/domain';
import { validationProblem } from '../problems/problem-details';

/**
 * DESIGN.md "Dates" (v2): every date in a command lies in a plausible range,
 * from 1990-01-01 to today, and planned end dates at most 2 years ahead; a
 * date such as 9999-12-31 is a 400, never an event (it once stalled every
 * consumer: `softExitDueOn` became `+010000-03`). The edge does not know the
 * case's local area, so its "today" is the latest local date anywhere on
 * Earth (UTC + 1 day, which covers UTC+14); the domain judges the exact local
 * date against the area's zone.
 */
export const EARLIEST_PLAUSIBLE_DATE: BusinessDate = '1990-01-01';
export const PLANNED_YEARS_AHEAD = 2;

/** What a date means: a fact that happened (at most today) or a plan (up to 2 years ahead). */
export type DateKind = 'past' | 'planned';

/** The latest business date that is "today" in some time zone at `now`. */
export function edgeToday(now: Date): BusinessDate {
  return addDays(businessDateAt(now, 'UTC'), 1);
}

/** The same calendar day `years` later (29 February becomes 28 February). */
export function addYears(date: BusinessDate, years: number): BusinessDate {
  const year = Number(date.slice(0, 4)) + years;
  const shifted = `${String(year).padStart(4, '0')}${date.slice(4)}`;
  return isBusinessDate(shifted) ? shifted : `${String(year).padStart(4, '0')}-02-28`;
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
 * `asOf` (DESIGN.md: "asOf accepts a date (end of that local day) or a
 * timestamp"): a business date, resolved against the case's (or caseload's)
 * area zone once known, or an instant written with its UTC offset.
 */
export type AsOf = { kind: 'date'; date: BusinessDate } | { kind: 'instant'; at: Date };

const TIMESTAMP =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/i;
const EARLIEST_INSTANT = Date.UTC(1990, 0, 1);

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
  const latestDate = edgeToday(now);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const problem = implausibleDate(value, 'past', now);
    if (problem) throw refuse(problem);
    return { kind: 'date', date: value };
  }
  const match = TIMESTAMP.exec(value);
  if (!match || !isBusinessDate(match[1])) {
    throw refuse(
      'must be a date YYYY-MM-DD or an ISO-8601 timestamp with offset, e.g. 2026-03-01T12:00:00Z',
    );
  }
  const at = new Date(value);
  const latest = startOfBusinessDate(addDays(latestDate, 1), 'UTC').getTime();
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST_INSTANT || at.getTime() >= latest) {
    throw refuse(`must lie between ${EARLIEST_PLAUSIBLE_DATE}T00:00:00Z and ${latestDate}`);
  }
  return { kind: 'instant', at };
}

/** The instant an `asOf` stands for: a date means the end of that local day in `timeZone`. */
export function asOfInstant(asOf: AsOf, timeZone: string): Date {
  if (asOf.kind === 'instant') return asOf.at;
  return new Date(startOfBusinessDate(addDays(asOf.date, 1), timeZone).getTime() - 1);
}
