import { date } from '@caseledger/domain/testing';
import { deadlineCommand, deadlineCommandId, deadlineJobId, fireInstant } from './deadline-kind';
import { desiredJobs, movesDeadlines, type CaseDeadlineView } from './desired-deadlines';

const zones: Record<string, string> = { MO: 'America/Chicago', MA: 'America/New_York' };
const timeZoneOf = (area: string): string => zones[area] ?? 'UTC';

const active = (over: Partial<CaseDeadlineView> = {}): CaseDeadlineView => ({
  caseId: 'c-1',
  status: 'ACTIVE',
  localAreaId: 'MO',
  softExitDueOn: date('2024-03-10'),
  contactDueOn: date('2024-03-10'),
  followUpDueOn: null,
  ticklersRaised: [],
  ...over,
});

describe('desired deadline jobs', () => {
  it('R8/R17: the soft-exit job fires at the first instant the area’s local date is past the due date', () => {
    const jobs = desiredJobs(active(), timeZoneOf);
    // 2024-03-10 is the US daylight-saving switch: 2024-03-11 starts at 05:00Z in Chicago.
    expect(jobs['soft-exit']).toEqual({
      caseId: 'c-1',
      kind: 'soft-exit',
      dueOn: '2024-03-10',
      timeZone: 'America/Chicago',
      fireAt: Date.parse('2024-03-11T05:00:00Z'),
    });
    expect(fireInstant(date('2024-01-10'), 'America/New_York')).toBe(
      Date.parse('2024-01-11T05:00:00Z'),
    );
  });

  it('R17 v2: a CLOSED case runs no clock, so it keeps no job', () => {
    const jobs = desiredJobs(
      active({ status: 'CLOSED', followUpDueOn: date('2024-02-01') }),
      timeZoneOf,
    );
    expect(jobs).toEqual({ 'soft-exit': null, 'contact-due': null, 'follow-up': null });
  });

  it('R17 v2/R20: a SOFT_EXITED case keeps only its FOLLOW_UP_DUE job', () => {
    const jobs = desiredJobs(
      active({ status: 'SOFT_EXITED', followUpDueOn: date('2024-02-01') }),
      timeZoneOf,
    );
    expect(jobs['soft-exit']).toBeNull();
    expect(jobs['contact-due']).toBeNull();
    expect(jobs['follow-up']).toMatchObject({ kind: 'follow-up', dueOn: '2024-02-01' });
  });

  it('R9: a stricter local contact standard gets its own tickler job before the soft exit', () => {
    const jobs = desiredJobs(
      active({
        localAreaId: 'MA',
        contactDueOn: date('2024-02-09'),
        softExitDueOn: date('2024-03-10'),
      }),
      timeZoneOf,
    );
    expect(jobs['contact-due']).toMatchObject({
      dueOn: '2024-02-09',
      timeZone: 'America/New_York',
    });
    expect(jobs['soft-exit']).toMatchObject({ dueOn: '2024-03-10' });
  });

  it('R9/R8: a contact deadline on the soft-exit date needs no tickler: the soft exit is what happens', () => {
    expect(desiredJobs(active(), timeZoneOf)['contact-due']).toBeNull();
  });

  it('R9: a tickler already raised for its due date needs no job; one raised for an older date does not count', () => {
    const view = active({ contactDueOn: date('2024-02-09') });
    expect(
      desiredJobs(
        { ...view, ticklersRaised: [{ kind: 'CONTACT_DUE', dueOn: date('2024-02-09') }] },
        timeZoneOf,
      )['contact-due'],
    ).toBeNull();
    expect(
      desiredJobs(
        { ...view, ticklersRaised: [{ kind: 'CONTACT_DUE', dueOn: date('2023-12-01') }] },
        timeZoneOf,
      )['contact-due'],
    ).toMatchObject({ dueOn: '2024-02-09' });
  });

  it('R19: an unverified employment keeps a follow-up job until its tickler is raised', () => {
    const view = active({ followUpDueOn: date('2024-02-20') });
    expect(desiredJobs(view, timeZoneOf)['follow-up']).toMatchObject({ dueOn: '2024-02-20' });
    expect(
      desiredJobs(
        { ...view, ticklersRaised: [{ kind: 'FOLLOW_UP_DUE', dueOn: date('2024-02-20') }] },
        timeZoneOf,
      )['follow-up'],
    ).toBeNull();
  });

  it('R5/R7: a non-qualifying contact never moves a deadline; every other change is reconciled', () => {
    expect(movesDeadlines('ContactAttempted')).toBe(false);
    expect(movesDeadlines('BarrierIdentified')).toBe(false);
    for (const type of [
      'CaseOpened',
      'ContactRecorded',
      'PlannedGapScheduled',
      'CaseTransferred',
      'CaseClosed',
      'CaseSoftExited',
      'EmploymentRecorded',
      'SomeFutureEvent',
    ])
      expect(movesDeadlines(type)).toBe(true);
  });
});

describe('deadline job and command ids', () => {
  it('STYLE.md 2: one stable job id per case and kind, with no ":" and never integer-like', () => {
    expect(deadlineJobId('soft-exit', 'c-1')).toBe('soft-exit-c-1');
    expect(deadlineJobId('contact-due', '42')).toBe('contact-due-42');
    expect(deadlineJobId('follow-up', 'area:7')).not.toContain(':');
    expect(deadlineJobId('follow-up', 'area:7')).not.toBe(deadlineJobId('follow-up', 'area-7'));
  });

  it('R17: the command id names the case and the deadline, so a repeated job repeats the command', () => {
    expect(deadlineCommandId('soft-exit', 'c-1', date('2024-03-10'))).toBe(
      'soft-exit-c-1-2024-03-10',
    );
    expect(deadlineCommandId('soft-exit', 'c-1', date('2024-03-10'))).not.toBe(
      deadlineCommandId('soft-exit', 'c-1', date('2024-06-08')),
    );
    expect(deadlineCommand({ kind: 'soft-exit', dueOn: date('2024-03-10') })).toEqual({
      type: 'SoftExitCase',
      data: {},
    });
    expect(deadlineCommand({ kind: 'follow-up', dueOn: date('2024-02-20') })).toEqual({
      type: 'RaiseTickler',
      data: { kind: 'FOLLOW_UP_DUE', dueOn: '2024-02-20' },
    });
  });
});
