import type { PolicyTerms } from '../policy/contact-policy';
import { maxDate, type BusinessDate } from '../shared/business-date';
import type { Assignment, CaseEvent, ContactAttempted, ContactRecorded } from './case.events';
import { deriveDeadlines } from './deadlines';
import type {
  ActivityType,
  AssessmentExemption,
  AssessmentKind,
  BarrierCategory,
  CaseStatus,
  ClosureReason,
  ContactMethod,
  ContactOutcome,
  ContactParty,
  Customer,
  EnrollmentOutcome,
  GapReason,
  GoalStatus,
  JobInformation,
  Program,
  TicklerKind,
  WageRange,
} from './case.vocabulary';

export interface Enrollment {
  enrollmentId: string;
  activityType: ActivityType;
  activityName: string;
  providerName?: string;
  startDate: BusinessDate;
  endDate?: BusinessDate;
  endedOn?: BusinessDate;
  outcome?: EnrollmentOutcome;
}

export interface ContactEntry {
  contactId: string;
  method: ContactMethod;
  party: ContactParty;
  outcome: ContactOutcome;
  occurredOn: BusinessDate;
  qualifying: boolean;
  followUp?: boolean;
  /** R6: why a provider or alternate was contacted instead of the customer. */
  customerUnavailable?: boolean;
  providerUnavailable?: boolean;
  alternateHasSubstantiveKnowledge?: boolean;
  /** R5/R7: why a recorded contact does not qualify. */
  reason?: 'NO_ANSWER' | 'MESSAGE_LEFT' | 'OUTREACH_SENT';
  /** R7: the outreach a customer response answered. */
  answersOutreach?: string[];
  /** R7: outreach sent and not yet answered by the customer. */
  awaitingResponse?: boolean;
  progress: string;
  justification: string;
}

export interface Barrier {
  barrierId: string;
  category: BarrierCategory;
  description: string;
  plan: string;
  identifiedOn: BusinessDate;
  status: 'OPEN' | 'OVERCOME';
  how?: string;
  overcomeOn?: BusinessDate;
}

export interface PlannedGap {
  gapId: string;
  startDate: BusinessDate;
  endDate: BusinessDate;
  reason: GapReason;
  note?: string;
}

export interface Goal {
  goalId: string;
  statement: string;
  wageRangeDesired?: WageRange;
  status: GoalStatus;
}

export interface Assessment {
  assessmentId: string;
  kind: AssessmentKind;
  instrument?: string;
  administeredOn: BusinessDate;
  score?: string;
  summary: string;
  exemption?: AssessmentExemption;
}

export interface Employment {
  job: JobInformation;
  startDate: BusinessDate;
  followUpDueOn: BusinessDate;
  /** R19: the follow-up contact that verified the employment. */
  verifiedOn?: BusinessDate;
}

export interface Suspension {
  reason: ClosureReason;
  details: string;
  job?: JobInformation;
  suspendedOn: BusinessDate;
}

/**
 * A case folded from its stream. `status: 'NONE'` is the state before
 * `CaseOpened`. Deadlines are derived by `evolve` from the facts and the policy
 * terms recorded in the stream; they are null when no clock runs (a suspended,
 * closed or soft-exited case).
 */
export interface CaseState {
  status: CaseStatus | 'NONE';
  caseId: string;
  customer: Customer | null;
  program: Program | null;
  careerCenterId: string;
  localAreaId: string;
  caseManagerId: string;
  openedOn: BusinessDate | null;
  policy: PolicyTerms | null;
  /** R8/R9: the latest qualifying contact date (never moves earlier). */
  lastQualifyingContactOn: BusinessDate | null;
  /** R9: the local area's tickler date. */
  contactDueOn: BusinessDate | null;
  /** R8 with R10 gaps: an entry on this date is on time; the case soft exits after it. */
  softExitDueOn: BusinessDate | null;
  /** R19: when the employment follow-up is due, until a follow-up contact verifies it. */
  followUpDueOn: BusinessDate | null;
  /** R17: set by a soft exit or a closure. */
  exitDate: BusinessDate | null;
  closureReason: ClosureReason | null;
  enrollments: Enrollment[];
  contacts: ContactEntry[];
  barriers: Barrier[];
  plannedGaps: PlannedGap[];
  goals: Goal[];
  assessments: Assessment[];
  employment: Employment | null;
  suspension: Suspension | null;
  /** 04-34: the assignments a case had, oldest first (R12). */
  transfers: Array<{
    from: Assignment;
    to: Assignment;
    reason: string;
    transferredOn: BusinessDate;
  }>;
  /** Ticklers already raised, as `${kind}/${dueOn}` (a duplicate job raises nothing). */
  ticklersRaised: Array<{ kind: TicklerKind; dueOn: BusinessDate; raisedOn: BusinessDate }>;
}

export type Evolve = (state: CaseState, event: CaseEvent) => CaseState;

/** The state before `CaseOpened`: no case, no clock. */
export function initialCaseState(): CaseState {
  return {
    status: 'NONE',
    caseId: '',
    customer: null,
    program: null,
    careerCenterId: '',
    localAreaId: '',
    caseManagerId: '',
    openedOn: null,
    policy: null,
    lastQualifyingContactOn: null,
    contactDueOn: null,
    softExitDueOn: null,
    followUpDueOn: null,
    exitDate: null,
    closureReason: null,
    enrollments: [],
    contacts: [],
    barriers: [],
    plannedGaps: [],
    goals: [],
    assessments: [],
    employment: null,
    suspension: null,
    transfers: [],
    ticklersRaised: [],
  };
}

/**
 * Applies one event. Pure: it never mutates `state` (nor anything it holds) and
 * returns a new state whose deadlines are re-derived from the facts and the
 * policy terms recorded in the stream, never from today's configuration.
 */
export const evolve: Evolve = (state, event) => {
  const next = applyFacts(state, event);
  return { ...next, ...deriveDeadlines(next) };
};

/** Folds a stream (oldest first) into a case. */
export const foldCase = (events: readonly CaseEvent[], from: CaseState = initialCaseState()) =>
  events.reduce(evolve, from);

function applyFacts(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseOpened': {
      const d = event.data;
      return {
        ...state,
        status: 'ACTIVE',
        caseId: d.caseId,
        customer: { ...d.customer },
        program: d.program,
        careerCenterId: d.careerCenterId,
        localAreaId: d.localAreaId,
        caseManagerId: d.caseManagerId,
        openedOn: d.openedOn,
        policy: { ...d.policy },
      };
    }
    case 'ActivityEnrolled':
      return { ...state, enrollments: [...state.enrollments, { ...event.data }] };
    case 'ActivityEnded': {
      const { enrollmentId, endDate, outcome } = event.data;
      return {
        ...state,
        enrollments: state.enrollments.map((e) =>
          e.enrollmentId === enrollmentId ? { ...e, endedOn: endDate, outcome } : e,
        ),
      };
    }
    case 'ContactRecorded':
      return recordQualifyingContact(state, event);
    case 'ContactAttempted':
      return { ...state, contacts: [...state.contacts, attemptEntry(event)] };
    case 'BarrierIdentified':
      return { ...state, barriers: [...state.barriers, { ...event.data, status: 'OPEN' }] };
    case 'BarrierOvercome': {
      const { barrierId, how, overcomeOn } = event.data;
      return {
        ...state,
        barriers: state.barriers.map((b) =>
          b.barrierId === barrierId ? { ...b, status: 'OVERCOME', how, overcomeOn } : b,
        ),
      };
    }
    case 'PlannedGapScheduled':
      return { ...state, plannedGaps: [...state.plannedGaps, { ...event.data }] };
    case 'GoalSet':
      return { ...state, goals: [...state.goals, { ...event.data, status: 'PENDING' }] };
    case 'GoalResolved': {
      const { goalId, status } = event.data;
      return {
        ...state,
        goals: state.goals.map((g) => (g.goalId === goalId ? { ...g, status } : g)),
      };
    }
    case 'AssessmentRecorded':
      return { ...state, assessments: [...state.assessments, { ...event.data }] };
    case 'EmploymentRecorded': {
      const { job, startDate, followUpDueOn } = event.data;
      return { ...state, employment: { job: { ...job }, startDate, followUpDueOn } };
    }
    case 'CaseTransferred': {
      const { from, to, reason, transferredOn, policy } = event.data;
      return {
        ...state,
        careerCenterId: to.careerCenterId,
        localAreaId: to.localAreaId,
        caseManagerId: to.caseManagerId,
        policy: { ...policy },
        transfers: [
          ...state.transfers,
          { from: { ...from }, to: { ...to }, reason, transferredOn },
        ],
      };
    }
    case 'CaseSuspended':
      return { ...state, status: 'SUSPENDED', suspension: { ...event.data } };
    case 'SuspensionReturned':
      return { ...state, status: 'ACTIVE', suspension: null };
    case 'CaseClosed':
      return {
        ...state,
        status: 'CLOSED',
        exitDate: event.data.closedOn,
        closureReason: event.data.reason,
      };
    case 'CaseSoftExited':
      return { ...state, status: 'SOFT_EXITED', exitDate: event.data.exitDate };
    case 'TicklerRaised':
      return { ...state, ticklersRaised: [...state.ticklersRaised, { ...event.data }] };
    default: {
      // Exhaustive at compile time; upcast() refuses unknown types before they get here.
      return ignoreUnknown(event, state);
    }
  }
}

function contactEntry(d: ContactRecorded['data'] | ContactAttempted['data']): ContactEntry {
  const entry: ContactEntry = {
    contactId: d.contactId,
    method: d.method,
    party: d.party,
    outcome: d.outcome,
    occurredOn: d.occurredOn,
    qualifying: d.qualifying,
    progress: d.progress,
    justification: d.justification,
  };
  if (d.customerUnavailable !== undefined) entry.customerUnavailable = d.customerUnavailable;
  if (d.providerUnavailable !== undefined) entry.providerUnavailable = d.providerUnavailable;
  if (d.alternateHasSubstantiveKnowledge !== undefined)
    entry.alternateHasSubstantiveKnowledge = d.alternateHasSubstantiveKnowledge;
  return entry;
}

/** R5/R7: recorded, never a clock reset; outreach waits for the customer's answer. */
function attemptEntry(event: ContactAttempted): ContactEntry {
  const entry = { ...contactEntry(event.data), reason: event.data.reason };
  return event.data.reason === 'OUTREACH_SENT' ? { ...entry, awaitingResponse: true } : entry;
}

function recordQualifyingContact(state: CaseState, event: ContactRecorded): CaseState {
  const d = event.data;
  const answered = new Set(d.answersOutreach ?? []);
  const entry: ContactEntry = { ...contactEntry(d) };
  if (d.followUp !== undefined) entry.followUp = d.followUp;
  if (d.answersOutreach !== undefined) entry.answersOutreach = [...d.answersOutreach];
  const contacts = [
    ...state.contacts.map((c) =>
      answered.has(c.contactId) && c.awaitingResponse ? { ...c, awaitingResponse: false } : c,
    ),
    entry,
  ];
  // R8/R9: a back-dated entry never moves a clock earlier.
  const lastQualifyingContactOn =
    state.lastQualifyingContactOn === null
      ? d.occurredOn
      : maxDate(state.lastQualifyingContactOn, d.occurredOn);
  // R19 (04-34 Case Closure 1): verification counts after the follow-up period.
  const employment =
    d.followUp === true &&
    state.employment !== null &&
    state.employment.verifiedOn === undefined &&
    d.occurredOn >= state.employment.followUpDueOn
      ? { ...state.employment, verifiedOn: d.occurredOn }
      : state.employment;
  return { ...state, contacts, lastQualifyingContactOn, employment };
}

function ignoreUnknown(_event: never, state: CaseState): CaseState {
  return state;
}
