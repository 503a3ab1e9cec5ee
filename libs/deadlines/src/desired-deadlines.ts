import type { BusinessDate, CaseEventType, CaseState, TicklerKind } from '@caseledger/domain';
import {
  DEADLINE_KINDS,
  fireInstant,
  ticklerKindOf,
  type DeadlineJobData,
  type DeadlineKind,
} from './deadline-kind';

/**
 * What the deadline machinery needs to know about a case. Both the reactor (from
 * the case's folded stream) and the sweep (from the caseload read model) produce
 * it, and both hand it to `desiredJobs`, so they can never schedule differently.
 */
export interface CaseDeadlineView {
  caseId: string;
  status: string;
  localAreaId: string;
  softExitDueOn: BusinessDate | null;
  contactDueOn: BusinessDate | null;
  followUpDueOn: BusinessDate | null;
  /** Ticklers already raised: a raised (kind, dueOn) needs no job (R9, R19). */
  ticklersRaised: ReadonlyArray<{ kind: TicklerKind; dueOn: BusinessDate }>;
}

/** For each kind, the job the case should have, or null for none. */
export type DesiredJobs = Record<DeadlineKind, DeadlineJobData | null>;

/** The IANA zone of a local area (the same lookup the command executor uses). */
export type TimeZoneOf = (localAreaId: string) => string;

export function viewOfState(state: CaseState): CaseDeadlineView {
  return {
    caseId: state.caseId,
    status: state.status,
    localAreaId: state.localAreaId,
    softExitDueOn: state.softExitDueOn,
    contactDueOn: state.contactDueOn,
    followUpDueOn: state.followUpDueOn,
    ticklersRaised: state.ticklersRaised ?? [],
  };
}

function dueOnOf(view: CaseDeadlineView, kind: DeadlineKind): BusinessDate | null {
  switch (kind) {
    case 'soft-exit':
      return view.softExitDueOn;
    case 'contact-due':
      // R9 is a tickler before the exit; on or after the R8 deadline the soft
      // exit itself is what happens (01-02 §2), so no separate job is kept.
      return view.contactDueOn !== null &&
        (view.softExitDueOn === null || view.contactDueOn < view.softExitDueOn)
        ? view.contactDueOn
        : null;
    case 'follow-up':
      return view.followUpDueOn;
  }
}

/**
 * The jobs a case should have. An ACTIVE case (a pending suspension included,
 * R16 v2) runs every clock; a SOFT_EXITED one only its follow-up (R19, R20:
 * FOLLOW_UP_DUE); a CLOSED one none, so its jobs are removed. A tickler
 * already raised for its due date needs no job.
 */
export function desiredJobs(view: CaseDeadlineView, timeZoneOf: TimeZoneOf): DesiredJobs {
  const desired: DesiredJobs = { 'soft-exit': null, 'contact-due': null, 'follow-up': null };
  if (view.status !== 'ACTIVE' && view.status !== 'SOFT_EXITED') return desired;
  const timeZone = timeZoneOf(view.localAreaId);
  for (const kind of DEADLINE_KINDS) {
    if (view.status === 'SOFT_EXITED' && kind !== 'follow-up') continue;
    const dueOn = dueOnOf(view, kind);
    if (dueOn === null) continue;
    const tickler = ticklerKindOf(kind);
    if (tickler && view.ticklersRaised.some((t) => t.kind === tickler && t.dueOn === dueOn)) {
      continue;
    }
    desired[kind] = {
      caseId: view.caseId,
      kind,
      dueOn,
      timeZone,
      fireAt: fireInstant(dueOn, timeZone),
    };
  }
  return desired;
}

/**
 * Events that never move a deadline. A batch holding only these leaves the
 * case's jobs untouched (R5/R7: a non-qualifying contact resets no clock). The
 * list names what is neutral rather than what matters, so an event type added
 * later is reconciled until someone decides it is neutral.
 */
const DEADLINE_NEUTRAL: ReadonlySet<string> = new Set<CaseEventType>([
  'ContactAttempted',
  'ActivityEnrolled',
  'ActivityEnded',
  'BarrierIdentified',
  'BarrierOvercome',
  'GoalSet',
  'GoalResolved',
  'AssessmentRecorded',
  // R16 v2: a pending suspension or its return pauses and restarts nothing.
  'CaseSuspended',
  'SuspensionReturned',
  // R22: a corrected name or entry text moves no date.
  'CustomerDetailsCorrected',
  'EntryCorrected',
]);

export const movesDeadlines = (eventType: string): boolean => !DEADLINE_NEUTRAL.has(eventType);

/** Same job: nothing to replace. */
export const sameDeadline = (a: DeadlineJobData, b: DeadlineJobData): boolean =>
  a.dueOn === b.dueOn && a.fireAt === b.fireAt && a.timeZone === b.timeZone;
