import {
  EARLIEST_PLAUSIBLE_DATE,
  addDays,
  businessDateAt,
  isBusinessDate,
  startOfBusinessDate,
  type BusinessDate,
} from '@caseledger/domain';

/**
 * DESIGN.md "Dates" (v2): no date before 1990-01-01 (the domain's default) is
 * plausible, and none after today. Where the local area is not known yet,
 * "today" is the latest local date anywhere on Earth (UTC + 1 day, which
 * covers UTC+14).
 */
export { EARLIEST_PLAUSIBLE_DATE };

/** The latest business date that is "today" in some time zone at `now`. */
export function edgeToday(now: Date): BusinessDate {
  return addDays(businessDateAt(now, 'UTC'), 1);
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
 * The one strict reading of an `asOf` text (the API's query parameter and the
 * CLI's --as-of): the AsOf, or why the text is not one (a real date from
 * 1990-01-01 to today, or an ISO-8601 timestamp with offset in that range).
 */
export function readAsOf(value: string, now: Date): AsOf | { refused: string } {
  const latestDate = edgeToday(now);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (!isBusinessDate(value))
      return { refused: 'must be a real calendar date written YYYY-MM-DD' };
    if (value < EARLIEST_PLAUSIBLE_DATE || value > latestDate)
      return { refused: `must lie between ${EARLIEST_PLAUSIBLE_DATE} and ${latestDate}` };
    return { kind: 'date', date: value };
  }
  const match = TIMESTAMP.exec(value);
  if (!match || !isBusinessDate(match[1])) {
    return {
      refused:
        'must be a date YYYY-MM-DD or an ISO-8601 timestamp with offset, e.g. 2026-03-01T12:00:00Z',
    };
  }
  const at = new Date(value);
  const latest = startOfBusinessDate(addDays(latestDate, 1), 'UTC').getTime();
  if (Number.isNaN(at.getTime()) || at.getTime() < EARLIEST_INSTANT || at.getTime() >= latest) {
    return { refused: `must lie between ${EARLIEST_PLAUSIBLE_DATE}T00:00:00Z and ${latestDate}` };
  }
  return { kind: 'instant', at };
}

/** The instant an `asOf` stands for: a date means the end of that local day in `timeZone`. */
export function asOfInstant(asOf: AsOf, timeZone: string): Date {
  if (asOf.kind === 'instant') return asOf.at;
  return new Date(startOfBusinessDate(addDays(asOf.date, 1), timeZone).getTime() - 1);
}
