import { ProblemException } from '../problems/problem-details';
import {
  asOfInstant,
  edgeToday,
  implausibleDate,
  parseAsOf,
  plausibleRange,
} from './plausible-date';

const NOW = new Date('2026-12-02T18:00:00Z');

function refusal(run: () => unknown): { status: number; fields: string[] } {
  try {
    run();
  } catch (error) {
    if (error instanceof ProblemException)
      return {
        status: error.problem.status,
        fields: (error.problem.errors ?? []).map((e) => e.field),
      };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('plausible dates at the edge (DESIGN.md "Dates", v2)', () => {
  it('today at the edge is the latest local date anywhere (UTC + 1 day); planned dates reach 2 years past it', () => {
    expect(edgeToday(NOW)).toBe('2026-12-03');
    expect(plausibleRange('past', NOW)).toEqual({ earliest: '1990-01-01', latest: '2026-12-03' });
    expect(plausibleRange('planned', NOW).latest).toBe('2028-12-03');
    // 29 February two years on is 28 February.
    expect(plausibleRange('planned', new Date('2028-02-28T12:00:00Z')).latest).toBe('2030-02-28');
  });

  it.each([
    ['2026-02-30', 'past'],
    ['2026-13-01', 'past'],
    ['2026-2-3', 'past'],
    ['9999-12-31', 'planned'],
    ['+010000-03-01', 'planned'],
    ['1989-12-31', 'past'],
    ['2026-12-04', 'past'],
    ['2028-12-04', 'planned'],
    [20261202, 'past'],
  ] as const)('%j is not a plausible %s date', (value, kind) => {
    expect(implausibleDate(value, kind, NOW)).toBeDefined();
  });

  it.each([
    ['1990-01-01', 'past'],
    ['2026-12-03', 'past'],
    ['2028-12-03', 'planned'],
    ['2024-02-29', 'past'],
  ] as const)('%j is a plausible %s date', (value, kind) => {
    expect(implausibleDate(value, kind, NOW)).toBeUndefined();
  });
});

describe('parseAsOf: a date (end of that local day) or a timestamp with offset', () => {
  it('a date stands for the end of that day in the given zone', () => {
    const asOf = parseAsOf('2026-03-01', NOW);
    expect(asOf).toEqual({ kind: 'date', date: '2026-03-01' });
    expect(asOfInstant(asOf!, 'America/Chicago').toISOString()).toBe('2026-03-02T05:59:59.999Z');
    expect(asOfInstant(asOf!, 'America/New_York').toISOString()).toBe('2026-03-02T04:59:59.999Z');
  });

  it('a timestamp with Z or an offset is that instant', () => {
    expect(parseAsOf('2026-03-01T12:00:00Z', NOW)).toEqual({
      kind: 'instant',
      at: new Date('2026-03-01T12:00:00Z'),
    });
    expect(asOfInstant(parseAsOf('2026-03-01T12:00:00.123-05:00', NOW)!, 'UTC').toISOString()).toBe(
      '2026-03-01T17:00:00.123Z',
    );
  });

  it('absent is undefined', () => expect(parseAsOf(undefined, NOW)).toBeUndefined());

  it.each([
    '2026-02-30',
    '2026-02-30T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T12:00:00',
    '+275760-09-13T00:00:00Z',
    '9999-12-31',
    '9999-12-31T00:00:00Z',
    '1989-12-31T23:59:59Z',
    '1900-01-01',
    'last-week',
    '1e300',
    '',
  ])('%j is a 400 naming asOf', (value) => {
    expect(refusal(() => parseAsOf(value, NOW))).toEqual({ status: 400, fields: ['asOf'] });
  });

  it('a repeated parameter (an array) is a 400 too', () => {
    expect(refusal(() => parseAsOf(['2026-01-01', '2026-01-02'], NOW)).status).toBe(400);
  });
});
