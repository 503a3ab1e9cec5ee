import { asOfInstant, edgeToday, readAsOf } from './as-of';

const NOW = new Date('2026-12-02T18:00:00Z');

describe('readAsOf: the one strict reading of asOf (API query and CLI --as-of)', () => {
  it('a date up to the latest today on Earth is the end of that local day', () => {
    expect(edgeToday(NOW)).toBe('2026-12-03');
    const asOf = readAsOf('2026-12-03', NOW);
    expect(asOf).toEqual({ kind: 'date', date: '2026-12-03' });
    if ('refused' in asOf) throw new Error('refused');
    expect(asOfInstant(asOf, 'America/Chicago').toISOString()).toBe('2026-12-04T05:59:59.999Z');
  });

  it('a timestamp with offset is that instant', () => {
    expect(readAsOf('2026-03-01T12:00:00.5-05:00', NOW)).toEqual({
      kind: 'instant',
      at: new Date('2026-03-01T17:00:00.500Z'),
    });
  });

  it.each([
    ['2026-12-04', 'must lie between 1990-01-01 and 2026-12-03'],
    ['1989-12-31', 'must lie between 1990-01-01 and 2026-12-03'],
    ['2026-02-30', 'must be a real calendar date written YYYY-MM-DD'],
    ['2026-12-04T00:00:00Z', 'must lie between 1990-01-01T00:00:00Z and 2026-12-03'],
    ['2026-03-01T12:00:00', expect.stringContaining('ISO-8601 timestamp with offset') as string],
    ['last-week', expect.stringContaining('must be a date YYYY-MM-DD') as string],
  ])('%j is refused: %s', (value, refused) => {
    expect(readAsOf(value, NOW)).toEqual({ refused });
  });
});
