/**
 * Business dates (`YYYY-MM-DD`) in a local area's time zone. DESIGN.md: every
 * deadline is a business date; the domain never reads the clock, it is handed
 * `today`. Arithmetic is done on day numbers (days since 1970-01-01, UTC), which
 * is pure calendar arithmetic with no time zone or daylight-saving drift.
 */
declare const BUSINESS_DATE: unique symbol;

/**
 * A real calendar date written `YYYY-MM-DD`, parsed once where it enters:
 * `isBusinessDate` (the edge validators, the CLI, policy files), `businessDate`
 * (literals and rows this system wrote), the upcasters (stored events) and the
 * arithmetic below. A plain string is not one, so a command that reaches
 * `decide` carries well-formed dates and `decide` judges only their range.
 * At run time it is the string itself (JSON, SQL and comparisons unchanged).
 */
export type BusinessDate = string & { readonly [BUSINESS_DATE]: 'BusinessDate' };

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string') return false;
  const match = PATTERN.exec(value);
  if (!match) return false;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  // Years 0–99 stay refused: `Date.UTC` reads them as 1900–1999, so the
  // round trip this check has always been never matched them.
  return y >= 100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * A business date from text that must be one: a literal in code, or a date
 * column this system wrote. Throws a RangeError otherwise (a fault of ours,
 * never a client's: client input is judged by `isBusinessDate` at the edge).
 */
export function businessDate(text: string): BusinessDate {
  if (!isBusinessDate(text)) throw new RangeError(`not a business date (YYYY-MM-DD): ${text}`);
  return text;
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since
 * 1970-01-01), the same calendar `Date` uses, without allocating a Date and an
 * ISO string per call: folds and deadlines call these on every event.
 */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Out of the 4-digit range `Date` writes an expanded year (`+010000-…`): still this type's value. */
function toIso(ms: number): BusinessDate {
  return new Date(ms).toISOString().slice(0, 10) as BusinessDate;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** 0000-01-01 and 9999-12-31 as day numbers: the range written with a plain 4-digit year. */
const FIRST_4_DIGIT_DAY = -719_528;
const LAST_4_DIGIT_DAY = 2_932_896;

/** Days since 1970-01-01 for a business date. Throws on a malformed date. */
export function toDayNumber(date: BusinessDate): number {
  if (!isBusinessDate(date))
    throw new RangeError(`not a business date (YYYY-MM-DD): ${String(date)}`);
  return daysFromCivil(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)),
    Number(date.slice(8, 10)),
  );
}

export function fromDayNumber(day: number): BusinessDate {
  if (!Number.isInteger(day) || day < FIRST_4_DIGIT_DAY || day > LAST_4_DIGIT_DAY) {
    return toIso(day * MS_PER_DAY);
  }
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}` as BusinessDate;
}

export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: BusinessDate, to: BusinessDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function compareDates(a: BusinessDate, b: BusinessDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a >= b ? a : b;
}

export function minDate(a: BusinessDate, b: BusinessDate): BusinessDate {
  return a <= b ? a : b;
}

/**
 * The business date that an instant falls on in a time zone (IANA name). Pure:
 * the instant is an argument; callers pass their clock's reading.
 */
export function businessDateAt(instant: Date, timeZone: string): BusinessDate {
  const parts = formatterFor(dateFormatters, timeZone, dateFormat).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}` as BusinessDate;
}

/**
 * Formatters per time zone, built once: constructing an Intl.DateTimeFormat
 * costs far more than formatting with one, and every command asks for today.
 * Zones come from the policy book, so the maps stay small; the cap only
 * guards against an unexpected stream of distinct names.
 */
const FORMATTER_CACHE_LIMIT = 256;
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

const dateFormat = (timeZone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });

const offsetFormat = (timeZone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });

function formatterFor(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  build: (timeZone: string) => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    // An unknown zone throws here, as before, and is not cached.
    formatter = build(timeZone);
    if (cache.size >= FORMATTER_CACHE_LIMIT) cache.clear();
    cache.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The first instant of a business date in a time zone (its local midnight), as
 * a UTC `Date`. Used to schedule a deadline "once the local date is after X":
 * that is the start of X + 1 in the area's zone.
 */
export function startOfBusinessDate(date: BusinessDate, timeZone: string): Date {
  const utcMidnight = toDayNumber(date) * MS_PER_DAY;
  // The zone's offset may change on this very day (DST). The offsets in force
  // half a day either side give the candidate midnights; the first instant of
  // the day is the earliest candidate that falls on the date. Where midnight
  // itself does not exist (America/Santiago 2025-09-07 jumps 00:00 → 01:00),
  // that is 01:00, never 23:00 of the day before.
  const HALF_DAY = 14 * 3_600_000;
  const candidates = [
    utcMidnight - offsetMs(new Date(utcMidnight - HALF_DAY), timeZone),
    utcMidnight - offsetMs(new Date(utcMidnight + HALF_DAY), timeZone),
  ].sort((a, b) => a - b);
  for (const candidate of candidates) {
    const at = new Date(candidate);
    // On the date, and the instant before it is not (a fall-back at midnight repeats 23:00).
    if (
      businessDateAt(at, timeZone) === date &&
      businessDateAt(new Date(candidate - 1000), timeZone) !== date
    )
      return at;
  }
  // A jump over midnight: the first instant on the date is the later candidate.
  for (const candidate of candidates) {
    if (businessDateAt(new Date(candidate), timeZone) === date) return new Date(candidate);
  }
  return new Date(candidates[0]);
}

/**
 * The same day of the month `months` later (R20: "twelve months"); a day that
 * month lacks falls back to its last day (2024-02-29 + 12 months = 2025-02-28).
 */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${String(ny).padStart(4, '0')}-${pad2(nm)}-${pad2(Math.min(d, daysInMonth(ny, nm)))}` as BusinessDate;
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = formatterFor(offsetFormatters, timeZone, offsetFormat).formatToParts(instant);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
