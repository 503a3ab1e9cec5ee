import { date } from '../testing/builders';
import fc from 'fast-check';
import {
  addMonths,
  addDays,
  businessDateAt,
  daysBetween,
  fromDayNumber,
  isBusinessDate,
  startOfBusinessDate,
  toDayNumber,
} from './business-date';

describe('business dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isBusinessDate('2024-02-29')).toBe(true);
    expect(isBusinessDate('2023-02-29')).toBe(false);
    expect(isBusinessDate('2024-13-01')).toBe(false);
    expect(isBusinessDate('2024-1-01')).toBe(false);
    expect(isBusinessDate(20240101)).toBe(false);
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays(date('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(date('2024-12-31'), 1)).toBe('2025-01-01');
    expect(addDays(date('2025-01-01'), 90)).toBe('2025-04-01');
    expect(daysBetween(date('2025-01-01'), date('2025-04-01'))).toBe(90);
  });

  it('round-trips day numbers (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: -400, max: 400 }),
        (d, n) => {
          const from = fromDayNumber(d);
          expect(toDayNumber(from)).toBe(d);
          expect(daysBetween(from, addDays(from, n))).toBe(n);
        },
      ),
    );
  });

  it("reads an instant's business date in the area's zone", () => {
    const instant = new Date('2025-03-01T03:30:00Z');
    expect(businessDateAt(instant, 'UTC')).toBe('2025-03-01');
    expect(businessDateAt(instant, 'America/Chicago')).toBe('2025-02-28');
    expect(businessDateAt(instant, 'America/New_York')).toBe('2025-02-28');
  });

  it('finds local midnight, including on daylight-saving days', () => {
    expect(startOfBusinessDate(date('2025-01-15'), 'America/Chicago').toISOString()).toBe(
      '2025-01-15T06:00:00.000Z',
    );
    expect(startOfBusinessDate(date('2025-07-15'), 'America/Chicago').toISOString()).toBe(
      '2025-07-15T05:00:00.000Z',
    );
    expect(startOfBusinessDate(date('2025-03-09'), 'America/New_York').toISOString()).toBe(
      '2025-03-09T05:00:00.000Z',
    );
    expect(startOfBusinessDate(date('2025-03-10'), 'America/New_York').toISOString()).toBe(
      '2025-03-10T04:00:00.000Z',
    );
  });

  it('finds local midnight where a DST change falls at midnight (America/Santiago)', () => {
    // 2025-09-07: clocks jump 00:00 → 01:00 (-04 → -03); the day starts at 01:00 local.
    const spring = startOfBusinessDate(date('2025-09-07'), 'America/Santiago');
    expect(spring.toISOString()).toBe('2025-09-07T04:00:00.000Z');
    expect(businessDateAt(spring, 'America/Santiago')).toBe('2025-09-07');
    expect(businessDateAt(new Date(spring.getTime() - 1000), 'America/Santiago')).toBe(
      '2025-09-06',
    );
    // 2025-04-06: clocks fall back 00:00 → 23:00 of the 5th; the 6th starts at 00:00 -04.
    expect(startOfBusinessDate(date('2025-04-06'), 'America/Santiago').toISOString()).toBe(
      '2025-04-06T04:00:00.000Z',
    );
  });

  it('adds calendar months, clamping to the last day of a shorter month (R20)', () => {
    expect(addMonths(date('2025-01-31'), 1)).toBe('2025-02-28');
    expect(addMonths(date('2024-02-29'), 12)).toBe('2025-02-28');
    expect(addMonths(date('2025-11-15'), 12)).toBe('2026-11-15');
    expect(addMonths(date('2025-12-01'), 1)).toBe('2026-01-01');
  });
});
