import {
  DEFAULT_FOLLOW_UP_EVERY_DAYS,
  DEFAULT_FOLLOW_UP_MONTHS,
  type PolicyTerms,
} from '../policy/contact-policy';
import { addDays, addMonths, toDayNumber, type BusinessDate } from '../shared/business-date';

/**
 * Deadline arithmetic, shared by `evolve` and the worker's deadline reactor so
 * that a scheduled job and the decider can never disagree about a date.
 *
 * 01-02 §2: "An entry must be made every 90 days to keep the customer from soft
 * exiting"; 01-02 §1: planned gaps are the exception (R10). A clock of N days
 * started on `base` therefore runs out on the day on which N days after `base`
 * that lie in no planned gap have elapsed. An entry on that day is on time; the
 * deadline has passed once today is after it.
 */
export interface GapSpan {
  startDate: BusinessDate;
  endDate: BusinessDate;
}

/**
 * The day on which `days` non-gap days after `base` have elapsed. Each gap day
 * (inclusive) that falls inside the growing window after `base` adds one day.
 * With no gaps this is `base + days`.
 */
export function deadlineAfter(
  base: BusinessDate,
  days: number,
  gaps: readonly GapSpan[] = [],
): BusinessDate {
  const baseDay = toDayNumber(base);
  let due = baseDay + days;
  for (const gap of mergeGaps(gaps)) {
    const start = Math.max(gap.start, baseDay + 1);
    if (gap.end < start) continue;
    // Sorted and disjoint: once a gap starts after the window, so do the rest.
    if (start > due) break;
    due += gap.end - start + 1;
  }
  return addDays(base, due - baseDay);
}

/** Gap days (inclusive) after `base` that the window ending at `due` contains. */
export function gapDaysWithin(
  base: BusinessDate,
  due: BusinessDate,
  gaps: readonly GapSpan[],
): number {
  const from = toDayNumber(base) + 1;
  const to = toDayNumber(due);
  let days = 0;
  for (const gap of mergeGaps(gaps)) {
    const start = Math.max(gap.start, from);
    const end = Math.min(gap.end, to);
    if (end >= start) days += end - start + 1;
  }
  return days;
}

/** Sorted, disjoint day ranges (R10 forbids overlaps; a merge keeps old streams safe). */
function mergeGaps(gaps: readonly GapSpan[]): Array<{ start: number; end: number }> {
  const spans = gaps
    .map((g) => ({ start: toDayNumber(g.startDate), end: toDayNumber(g.endDate) }))
    .filter((s) => s.end >= s.start)
    .sort((a, b) => a.start - b.start);
  const merged: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end + 1) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** True once `today` is after `dueOn` (an entry on the due date is on time). */
export const isPastDue = (today: BusinessDate, dueOn: BusinessDate | null): boolean =>
  dueOn !== null && today > dueOn;

/** The facts a case's deadlines are derived from. */
export interface DeadlineFacts {
  status: string;
  openedOn: BusinessDate | null;
  lastQualifyingContactOn: BusinessDate | null;
  plannedGaps: readonly GapSpan[];
  policy: PolicyTerms | null;
  employment: {
    startDate: BusinessDate;
    followUpDueOn: BusinessDate;
    verifiedOn?: BusinessDate;
  } | null;
  /** R20: WIOA_YOUTH follows up from the exit, adults and dislocated workers from the job. */
  program?: string | null;
  exitDate?: BusinessDate | null;
  contacts?: ReadonlyArray<{ occurredOn: BusinessDate; followUp?: boolean; voided?: unknown }>;
}

export interface CaseDeadlines {
  /** R9: the local area's contact standard (a tickler, never an exit). */
  contactDueOn: BusinessDate | null;
  /** R8 with R10 gaps: the case soft exits once today is after it (R17). */
  softExitDueOn: BusinessDate | null;
  /** R19/R20: the next follow-up tickler, the earlier of the R19 verification and R20's. */
  followUpDueOn: BusinessDate | null;
  /** R20: the twelve-month follow-up period and its next due contact. */
  followUp: { from: BusinessDate; until: BusinessDate; nextDueOn: BusinessDate | null } | null;
}

/** The date every clock of an active case counts from: last qualifying contact, else opening. */
export const clockBase = (
  facts: Pick<DeadlineFacts, 'openedOn' | 'lastQualifyingContactOn'>,
): BusinessDate | null => facts.lastQualifyingContactOn ?? facts.openedOn;

const ADULT_PROGRAMS: ReadonlySet<string> = new Set(['WIOA_ADULT', 'WIOA_DISLOCATED_WORKER']);

/**
 * R20: follow-up for `followUpMonths` from the program exit (WIOA_YOUTH) or the
 * first day of recorded employment (adults, dislocated workers). A follow-up
 * contact is owed every `followUpEveryDays` after the start or the latest
 * follow-up contact, until the period ends.
 */
export function followUpPeriodOf(facts: DeadlineFacts): CaseDeadlines['followUp'] {
  if (facts.status === 'CLOSED' || facts.policy === null) return null;
  const from =
    facts.program === 'WIOA_YOUTH'
      ? facts.status === 'SOFT_EXITED'
        ? (facts.exitDate ?? null)
        : null
      : ADULT_PROGRAMS.has(facts.program ?? '')
        ? (facts.employment?.startDate ?? null)
        : null;
  if (from === null) return null;
  const until = addMonths(from, facts.policy.followUpMonths ?? DEFAULT_FOLLOW_UP_MONTHS);
  let last = from;
  for (const c of facts.contacts ?? []) {
    if (
      c.followUp === true &&
      c.voided === undefined &&
      c.occurredOn > last &&
      c.occurredOn <= until
    )
      last = c.occurredOn;
  }
  const next = addDays(last, facts.policy.followUpEveryDays ?? DEFAULT_FOLLOW_UP_EVERY_DAYS);
  return { from, until, nextDueOn: next <= until ? next : null };
}

const earliest = (a: BusinessDate | null, b: BusinessDate | null): BusinessDate | null =>
  a === null ? b : b === null ? a : a <= b ? a : b;

/**
 * Every deadline of a case, from its facts. The contact clocks (R8, R9) run
 * while the case is ACTIVE, a pending suspension included (R16 v2: a request,
 * not a pause); the follow-up (R19, R20) runs on an active or soft-exited case
 * until it is CLOSED.
 */
export function deriveDeadlines(facts: DeadlineFacts): CaseDeadlines {
  const base = clockBase(facts);
  const followUp = followUpPeriodOf(facts);
  const employment = facts.employment;
  const verificationDue =
    facts.status !== 'CLOSED' && employment && employment.verifiedOn === undefined
      ? employment.followUpDueOn
      : null;
  const followUpDueOn = earliest(verificationDue, followUp?.nextDueOn ?? null);
  if (facts.status !== 'ACTIVE' || base === null || facts.policy === null)
    return { contactDueOn: null, softExitDueOn: null, followUpDueOn, followUp };
  const terms: PolicyTerms = facts.policy;
  return {
    contactDueOn: deadlineAfter(base, terms.contactIntervalDays, facts.plannedGaps),
    softExitDueOn: deadlineAfter(base, terms.softExitWindowDays, facts.plannedGaps),
    followUpDueOn,
    followUp,
  };
}
