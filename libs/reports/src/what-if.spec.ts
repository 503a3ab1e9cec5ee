import { createPolicyBook, DEFAULT_POLICIES, type CaseEvent } from '@caseledger/domain';
import {
  caseOpened,
  caseSoftExited,
  contactRecorded,
  day,
  enrolled,
  gapScheduled,
} from '@caseledger/domain/testing';
import { CaseReplay, overriddenTerms, recordedTerms, type Terms } from './what-if';

const book = createPolicyBook(DEFAULT_POLICIES);
const period = { from: day(-10), to: day(200) };

function replay(terms: Terms, events: CaseEvent[], horizon = day(200)) {
  const r = new CaseReplay(terms, book.policyOf, period);
  for (const e of events) r.feed(e);
  return { outcome: r.finish(horizon), state: r.state };
}
const asRecorded = recordedTerms(book.policyOf);
const sixty = overriddenTerms({ softExitAfterDays: 60 }, undefined, book.policyOf);

describe('what-if replay (pure: decide and evolve under other terms)', () => {
  it('R8/R17: with a 60-day window a 70-day gap exits, dated at the contact before it; the later contact is refused', () => {
    const events = [
      caseOpened({ on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ id: 'c1', on: day(10) }),
      contactRecorded({ id: 'c2', on: day(80) }),
      contactRecorded({ id: 'c3', on: day(150) }),
    ];
    expect(replay(asRecorded, events, day(160)).outcome).toMatchObject({
      exited: false,
      exitDate: null,
    });
    const { outcome, state } = replay(sixty, events, day(160));
    expect(outcome).toMatchObject({ exited: true, exitDate: day(10) });
    expect(state.programExit).toMatchObject({ dueOn: day(70), detectedOn: day(71) });
    expect(state.contacts.map((c) => c.contactId)).toEqual(['c1']);
  });

  it('R10: planned gap days inside the window push the 60-day deadline past a 70-day gap', () => {
    const events = [
      caseOpened({ on: day(0) }),
      enrolled({ on: day(0) }),
      gapScheduled({ from: day(30), to: day(45) }),
      contactRecorded({ id: 'c2', on: day(70) }),
    ];
    expect(replay(sixty, events, day(100)).outcome.exited).toBe(false);
  });

  it('R9: a 30-day contact standard raises the tickler and counts the overdue days until the next contact', () => {
    const thirty = overriddenTerms({ contactIntervalDays: 30 }, undefined, book.policyOf);
    const events = [
      caseOpened({ on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ id: 'c2', on: day(50) }),
    ];
    const { outcome } = replay(thirty, events, day(60));
    expect(outcome.ticklers).toEqual([day(30)]);
    // Past due from day 31 to day 49, then again from day 81 — beyond the horizon (day 60).
    expect(outcome.contactOverdueDays).toBe(19);
    expect(replay(asRecorded, events, day(60)).outcome).toMatchObject({
      ticklers: [],
      contactOverdueDays: 0,
    });
  });

  it('the recorded terms reproduce the log’s own soft exit (its date, not its detection day)', () => {
    const events = [
      caseOpened({ on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ id: 'c1', on: day(5) }),
      caseSoftExited({ exitDate: day(5), dueOn: day(95), detectedOn: day(120) }),
    ];
    expect(replay(asRecorded, events).outcome).toMatchObject({ exited: true, exitDate: day(5) });
  });

  it('another area’s policy whole: the Massachusetts 60-day contact standard (R9) raises a tickler the Missouri one does not', () => {
    const ma = overriddenTerms(
      { policyId: 'MA-WIA-04-34' },
      book.policies.find((p) => p.policyId === 'MA-WIA-04-34'),
      book.policyOf,
    );
    const events = [
      caseOpened({ on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ on: day(75) }),
    ];
    expect(replay(ma, events, day(80)).outcome).toMatchObject({
      exited: false,
      ticklers: [day(60)],
      contactOverdueDays: 14,
    });
    expect(replay(asRecorded, events, day(80)).outcome.ticklers).toEqual([]);
  });
});
