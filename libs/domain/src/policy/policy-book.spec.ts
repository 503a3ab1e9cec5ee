import { DEFAULT_POLICIES, createPolicyBook, defaultPolicy, validatePolicy } from './policy-book';

describe('contact policies per local area', () => {
  it('R9: the defaults hold a 90-day Missouri-like area and a 60-day Massachusetts-like area', () => {
    const book = createPolicyBook(DEFAULT_POLICIES);
    expect(book.policyOf('MO-DEFAULT')).toMatchObject({
      contactIntervalDays: 90,
      softExitWindowDays: 90,
      timeZone: 'America/Chicago',
    });
    expect(book.policyOf('MA-DEFAULT')).toMatchObject({
      contactIntervalDays: 60,
      softExitWindowDays: 90,
      timeZone: 'America/New_York',
    });
    expect(book.policyOf('XX')).toBeUndefined();
    for (const policy of DEFAULT_POLICIES) expect(validatePolicy(policy)).toEqual([]);
  });

  it('R9: an area may require more frequent contact, never less than the soft-exit window', () => {
    const lax = { ...defaultPolicy('LAX'), contactIntervalDays: 120 };
    expect(validatePolicy(lax)).toContain(
      'contactIntervalDays must not exceed softExitWindowDays (R9)',
    );
    expect(() => createPolicyBook([lax])).toThrow(/invalid contact policy LAX/);
    expect(validatePolicy({ ...defaultPolicy('T'), contactIntervalDays: 30 })).toEqual([]);
  });

  it('R8: the soft-exit window is the 90 days of 01-02', () =>
    expect(validatePolicy({ ...defaultPolicy('W'), softExitWindowDays: 120 })).toContain(
      'softExitWindowDays must be 90 (01-02 §2)',
    ));

  it('refuses non-positive numbers, an unknown time zone and duplicate areas', () => {
    const bad = {
      ...defaultPolicy('BAD'),
      followUpPeriodDays: 0,
      minNoteLength: -1,
      timeZone: 'Mars/Olympus_Mons',
    };
    expect(validatePolicy(bad)).toEqual([
      'followUpPeriodDays must be a positive integer',
      'minNoteLength must be a positive integer',
      'timeZone must be an IANA time zone: Mars/Olympus_Mons',
    ]);
    expect(() => createPolicyBook([defaultPolicy('A'), defaultPolicy('A')])).toThrow(/duplicate/);
  });
});
