/**
 * Business dates (`YYYY-MM-DD`) in a local area's time zone. DESIGN.md: every
 * deadline is a business date; the domain never reads the clock, it is handed
 * `today`. Arithmetic is done on day numbers (days since 1970-01-01, UTC), which
 * is pure calendar arithmetic with no time zone or daylight-saving drift.
 */
export type BusinessDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isBusinessDate(value: unknown): value is BusinessDate {
  if (typeof value !== 'string') return false;
  const match = PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  return toIso(ms) === value;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a business date. Throws on a malformed date. */
export function toDayNumber(date: BusinessDate): number {
  if (!isBusinessDate(date))
    throw new RangeError(`not a business date (YYYY-MM-DD): ${String(date)}`);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): BusinessDate {
  return toIso(day * MS_PER_DAY);
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
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The first instant of a business date in a time zone (its local midnight), as
 * a UTC `Date`. Used to schedule a deadline "once the local date is after X":
 * that is the start of X + 1 in the area's zone.
 */
export function startOfBusinessDate(date: BusinessDate, timeZone: string): Date {
  const utcMidnight = toDayNumber(date) * MS_PER_DAY;
  // The zone's offset can differ across the day (DST); two passes settle it.
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) {
    guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  }
  return new Date(guess);
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
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
