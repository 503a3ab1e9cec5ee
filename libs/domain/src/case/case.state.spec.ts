import {
  MA_POLICY,
  barrierIdentified,
  barrierOvercome,
  caseClosed,
  caseOpened,
  caseSoftExited,
  caseSuspended,
  caseTransferred,
  contactAttempted,
  contactRecorded,
  day,
  employmentRecorded,
  enrolled,
  enrollmentEnded,
  gapScheduled,
  suspensionReturned,
} from '../testing';
import { evolve, foldCase, initialCaseState } from './case.state';
import { deadlineAfter, isPastDue } from './deadlines';

const opened = [caseOpened({ on: day(0) }), enrolled({ on: day(0) })];

describe('evolve: the case folded from its stream', () => {
  it('starts with no case and no clock', () => {
    expect(initialCaseState()).toMatchObject({
      status: 'NONE',
      softExitDueOn: null,
      contactDueOn: null,
      followUpDueOn: null,
    });
  });

  it('R8/R9: an opened case runs its clocks from the opening date', () =>
    expect(foldCase(opened)).toMatchObject({
      status: 'ACTIVE',
      lastQualifyingContactOn: null,
      softExitDueOn: day(90),
      contactDueOn: day(90),
      followUpDueOn: null,
    }));

  it('R9: a 60-day area has its contact due before the soft exit', () =>
    expect(foldCase([caseOpened({ on: day(0), policy: MA_POLICY })])).toMatchObject({
      contactDueOn: day(60),
      softExitDueOn: day(90),
    }));

  it('R10: only gap days after the last contact count; a gap reached through an earlier gap counts too', () => {
    const withContact = [...opened, contactRecorded({ on: day(20) })];
    // Straddling the base: days 21..25 count, 15..20 do not.
    expect(
      foldCase([...withContact, gapScheduled({ from: day(15), to: day(25) })]).softExitDueOn,
    ).toBe(day(115));
    // Entirely before the base: nothing.
    expect(
      foldCase([...withContact, gapScheduled({ from: day(5), to: day(15) })]).softExitDueOn,
    ).toBe(day(110));
    // The first gap pushes the window to day 120, which reaches the second gap (115..119).
    expect(
      foldCase([
        ...withContact,
        gapScheduled({ id: 'a', from: day(30), to: day(39) }),
        gapScheduled({ id: 'b', from: day(115), to: day(119) }),
      ]).softExitDueOn,
    ).toBe(day(125));
    // A gap after the window never counts.
    expect(
      foldCase([...withContact, gapScheduled({ from: day(111), to: day(130) })]).softExitDueOn,
    ).toBe(day(110));
  });

  it('R7: sent outreach awaits a response; the response clears only what it answers', () => {
    const state = foldCase([
      ...opened,
      contactAttempted({ id: 'm1', method: 'EMAIL', outcome: 'SENT', on: day(5) }),
      contactAttempted({ id: 'm2', method: 'LETTER', outcome: 'SENT', on: day(9) }),
      contactRecorded({
        id: 'r1',
        method: 'EMAIL',
        outcome: 'RESPONSE_RECEIVED',
        on: day(7),
        answersOutreach: ['m1'],
      }),
    ]);
    expect(state.contacts.map((c) => [c.contactId, c.awaitingResponse])).toEqual([
      ['m1', false],
      ['m2', true],
      ['r1', undefined],
    ]);
    expect(state.contacts[0]).toMatchObject({ qualifying: false, reason: 'OUTREACH_SENT' });
  });

  it('R16 v2: a pending suspension pauses nothing; a return leaves the same clocks', () => {
    const suspended = foldCase([
      ...opened,
      contactRecorded({ on: day(10) }),
      employmentRecorded({ start: day(12) }),
      caseSuspended({ on: day(20) }),
    ]);
    expect(suspended).toMatchObject({
      status: 'ACTIVE',
      softExitDueOn: day(100),
      contactDueOn: day(100),
      followUpDueOn: day(42),
    });
    expect(suspended.suspension).toMatchObject({
      reason: 'MOVED_OUT_OF_AREA',
      suspendedOn: day(20),
      suspendedBy: 'staff-cm-1',
    });
    const returned = evolve(suspended, suspensionReturned(day(30)));
    expect(returned).toMatchObject({
      status: 'ACTIVE',
      suspension: null,
      softExitDueOn: day(100),
      contactDueOn: day(100),
      followUpDueOn: day(42),
    });
  });

  it('R14/R17: closure and soft exit set the exit date and stop the clocks', () => {
    const closed = foldCase([
      ...opened,
      caseSuspended({ on: day(20), reason: 'CUSTOMER_WITHDREW' }),
      caseClosed({ on: day(22), reason: 'CUSTOMER_WITHDREW' }),
    ]);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      exitDate: day(0),
      closedOn: day(22),
      closureReason: 'CUSTOMER_WITHDREW',
      softExitDueOn: null,
    });
    const exited = foldCase([
      ...opened,
      caseSoftExited({ exitDate: day(0), dueOn: day(90), detectedOn: day(93) }),
    ]);
    expect(exited).toMatchObject({ status: 'SOFT_EXITED', exitDate: day(0), contactDueOn: null });
  });

  it('R12: a transfer moves the assignment and the policy terms; the history stays', () => {
    const to = { careerCenterId: 'cc-boston', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-ma' };
    const state = foldCase([
      ...opened,
      contactRecorded({ on: day(10) }),
      caseTransferred({ on: day(11), to, policy: MA_POLICY }),
    ]);
    expect(state).toMatchObject({ ...to, contactDueOn: day(70), softExitDueOn: day(100) });
    expect(state.transfers).toEqual([expect.objectContaining({ to, transferredOn: day(11) })]);
    expect(state.contacts).toHaveLength(1);
  });

  it('R11: an overcome barrier is kept with how it was overcome', () => {
    const state = foldCase([
      ...opened,
      barrierIdentified({ on: day(1) }),
      barrierOvercome({ on: day(5), how: 'Bus pass.' }),
    ]);
    expect(state.barriers).toEqual([
      expect.objectContaining({ status: 'OVERCOME', how: 'Bus pass.', overcomeOn: day(5) }),
    ]);
  });

  it('R3: an ended enrollment keeps its planned end and records the actual one', () =>
    expect(
      foldCase([...opened, enrollmentEnded({ on: day(30), outcome: 'WITHDREW' })]).enrollments,
    ).toEqual([expect.objectContaining({ endedOn: day(30), outcome: 'WITHDREW' })]));

  it('R19: the follow-up is due until a follow-up contact on or after it verifies the employment', () => {
    const employed = foldCase([...opened, employmentRecorded({ start: day(10) })]);
    expect(employed.followUpDueOn).toBe(day(40));
    const verified = evolve(employed, contactRecorded({ on: day(41), followUp: true }));
    // R20 (adults): the next periodic follow-up is owed 90 days after this one.
    expect(verified.followUpDueOn).toBe(day(131));
    expect(verified.employment?.verifiedOn).toBe(day(41));
  });
});

describe('deadline arithmetic', () => {
  it('R8: with no gaps the deadline is base + window; on it the case is on time, after it overdue', () => {
    expect(deadlineAfter(day(0), 90)).toBe(day(90));
    expect(isPastDue(day(90), day(90))).toBe(false);
    expect(isPastDue(day(91), day(90))).toBe(true);
    expect(isPastDue(day(91), null)).toBe(false);
  });

  it('R10: overlapping gaps (from a stream written before R10 was checked) count their days once', () =>
    expect(
      deadlineAfter(day(0), 90, [
        { startDate: day(10), endDate: day(19) },
        { startDate: day(15), endDate: day(24) },
      ]),
    ).toBe(day(105)));
});
