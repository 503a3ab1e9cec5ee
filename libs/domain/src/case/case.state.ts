import type { PolicyTerms } from '../policy/contact-policy';
import type { BusinessDate } from '../shared/business-date';
import type {
  Assignment,
  CaseEvent,
  ContactAttempted,
  ContactRecorded,
  ContactVoided,
  EntryCorrected,
  FollowUpContactRecorded,
} from './case.events';
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
  CorrectableEntity,
  Customer,
  EnrollmentOutcome,
  GapReason,
  GoalStatus,
  JobInformation,
  Program,
  TicklerKind,
  WageRange,
} from './case.vocabulary';
import { PERSONAL_DATA_DISPOSED } from './case.vocabulary';

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
  /** The event that recorded it (null when folded without store ids). */
  eventId: string | null;
  /** R22: voided entries stay listed and no longer count. */
  voided?: { reason: string; voidedOn: BusinessDate };
  /** R19: this follow-up contact verified the current employment. */
  verifiedEmployment?: boolean;
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
  /** The end in force: the planned end, or the earlier day it was ended on (R10 v2). */
  endDate: BusinessDate;
  reason: GapReason;
  note?: string;
  eventId: string | null;
  /** R10 v2: the end first planned, when the gap was ended early. */
  plannedEndDate?: BusinessDate;
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

/** R16 v2: a pending closure request; it pauses nothing. */
export interface Suspension {
  reason: ClosureReason;
  details: string;
  job?: JobInformation;
  suspendedOn: BusinessDate;
  /** Maker-checker: who asked (null on a v1 event). */
  suspendedBy: string | null;
  eventId: string | null;
}

/** R17: the program exit in force (null while served, and again after an R21 reversal). */
export interface ProgramExit {
  exitDate: BusinessDate;
  dueOn: BusinessDate;
  detectedOn: BusinessDate;
  eventId: string | null;
}

/** R20: the follow-up period and the next follow-up contact owed. */
export interface FollowUpPeriod {
  from: BusinessDate;
  until: BusinessDate;
  nextDueOn: BusinessDate | null;
}

/**
 * A case folded from its stream. `status: 'NONE'` is the state before
 * `CaseOpened`. Deadlines are derived by `evolve` from the facts and the policy
 * terms recorded in the stream. The contact clocks (R8, R9) run while the case
 * is ACTIVE, a pending suspension included (R16 v2); the follow-up (R19, R20)
 * runs until the case is CLOSED.
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
  openedEventId: string | null;
  /** R8/R9: the latest qualifying contact date, voided contacts excluded (R22). */
  lastQualifyingContactOn: BusinessDate | null;
  lastQualifyingContactId: string | null;
  /** R9: the local area's tickler date. */
  contactDueOn: BusinessDate | null;
  /** R8 with R10 gaps: an entry on this date is on time; the case soft exits after it. */
  softExitDueOn: BusinessDate | null;
  /** R19/R20: the next follow-up tickler (the R19 verification or the R20 periodic contact). */
  followUpDueOn: BusinessDate | null;
  /** R20: the twelve-month follow-up, once it has started. */
  followUp: FollowUpPeriod | null;
  /** R14 v2/R17: the program exit date (last day of service), set by a soft exit or a closure. */
  exitDate: BusinessDate | null;
  /** R14 v2: the day the closure was approved. */
  closedOn: BusinessDate | null;
  closureReason: ClosureReason | null;
  programExit: ProgramExit | null;
  /** R21: soft exits reversed by a late qualifying contact, oldest first. */
  softExitReversals: Array<{
    exitDate: BusinessDate;
    lateContactId: string;
    reversedOn: BusinessDate;
  }>;
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
  /** Records retention: the day the customer's personal data was disposed of (absent: never). */
  personalDataDisposedOn?: BusinessDate;
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
    openedEventId: null,
    lastQualifyingContactOn: null,
    lastQualifyingContactId: null,
    contactDueOn: null,
    softExitDueOn: null,
    followUpDueOn: null,
    followUp: null,
    exitDate: null,
    closedOn: null,
    closureReason: null,
    programExit: null,
    softExitReversals: [],
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
        openedEventId: event.eventId ?? null,
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
    case 'FollowUpContactRecorded':
      return recordFollowUpContact(state, event);
    case 'ContactVoided':
      return voidContact(state, event);
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
      return {
        ...state,
        plannedGaps: [...state.plannedGaps, { ...event.data, eventId: event.eventId ?? null }],
      };
    case 'PlannedGapEnded': {
      const { gapId, endDate, plannedEndDate } = event.data;
      return {
        ...state,
        plannedGaps: state.plannedGaps.map((g) =>
          g.gapId === gapId ? { ...g, endDate, plannedEndDate } : g,
        ),
      };
    }
    case 'EntryCorrected':
      return correctEntry(state, event);
    case 'CustomerDetailsCorrected': {
      const { firstName, lastName } = event.data;
      return {
        ...state,
        customer: { id: state.customer?.id ?? '', firstName, lastName },
      };
    }
    case 'PersonalDataDisposed':
      return withoutPersonalData(state, event.data.disposedOn);
    case 'SoftExitReversed': {
      const exit = event.data.reversedExit;
      return {
        ...state,
        status: 'ACTIVE',
        exitDate: null,
        programExit: null,
        softExitReversals: [
          ...(state.softExitReversals ?? []),
          {
            exitDate: exit.exitDate,
            lateContactId: event.data.lateContactId,
            reversedOn: event.data.reversedOn,
          },
        ],
      };
    }
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
      const previous = state.employment;
      // R19 v2: a re-recording (a wage fix) keeps the verification unless the employer changed.
      const sameEmployer =
        previous !== null && previous.job.employerName.trim() === job.employerName.trim();
      const employment: Employment = { job: { ...job }, startDate, followUpDueOn };
      if (sameEmployer && previous.verifiedOn !== undefined)
        employment.verifiedOn = previous.verifiedOn;
      return {
        ...state,
        employment,
        contacts: sameEmployer
          ? state.contacts
          : state.contacts.map((c) =>
              c.verifiedEmployment ? { ...c, verifiedEmployment: false } : c,
            ),
      };
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
    case 'CaseSuspended': {
      // R16 v2: a pending request beside the status, not a status of its own.
      const { suspendedBy, ...rest } = event.data;
      return {
        ...state,
        suspension: { ...rest, suspendedBy: suspendedBy ?? null, eventId: event.eventId ?? null },
      };
    }
    case 'SuspensionReturned':
      return { ...state, suspension: null };
    case 'CaseClosed':
      return {
        ...state,
        status: 'CLOSED',
        suspension: null,
        // R14 v2: the program exit date, never the approval day. A v1 event
        // (exitDate null) gets the date its case had: its exit, or the last day of service.
        exitDate:
          event.data.exitDate ??
          state.programExit?.exitDate ??
          state.lastQualifyingContactOn ??
          state.openedOn,
        closedOn: event.data.closedOn,
        closureReason: event.data.reason,
      };
    case 'CaseSoftExited':
      return {
        ...state,
        status: 'SOFT_EXITED',
        exitDate: event.data.exitDate,
        programExit: {
          exitDate: event.data.exitDate,
          dueOn: event.data.dueOn,
          detectedOn: event.data.detectedOn,
          eventId: event.eventId ?? null,
        },
      };
    case 'TicklerRaised':
      return { ...state, ticklersRaised: [...state.ticklersRaised, { ...event.data }] };
    default: {
      // Exhaustive at compile time; upcast() refuses unknown types before they get here.
      return ignoreUnknown(event, state);
    }
  }
}

function contactEntry(
  d: ContactRecorded['data'] | ContactAttempted['data'] | FollowUpContactRecorded['data'],
  eventId: string | undefined,
): ContactEntry {
  const entry: ContactEntry = {
    eventId: eventId ?? null,
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
  const entry = { ...contactEntry(event.data, event.eventId), reason: event.data.reason };
  return event.data.reason === 'OUTREACH_SENT' ? { ...entry, awaitingResponse: true } : entry;
}

function recordQualifyingContact(state: CaseState, event: ContactRecorded): CaseState {
  const d = event.data;
  const answered = new Set(d.answersOutreach ?? []);
  const entry: ContactEntry = { ...contactEntry(d, event.eventId) };
  if (d.followUp !== undefined) entry.followUp = d.followUp;
  if (d.answersOutreach !== undefined) entry.answersOutreach = [...d.answersOutreach];
  // R19 (04-34 Case Closure 1): a v1 follow-up contact verified after the follow-up period.
  const verifies =
    d.followUp === true &&
    state.employment !== null &&
    state.employment.verifiedOn === undefined &&
    d.occurredOn >= state.employment.followUpDueOn;
  if (verifies) entry.verifiedEmployment = true;
  const contacts = [
    ...state.contacts.map((c) =>
      answered.has(c.contactId) && c.awaitingResponse ? { ...c, awaitingResponse: false } : c,
    ),
    entry,
  ];
  const employment =
    verifies && state.employment
      ? { ...state.employment, verifiedOn: d.occurredOn }
      : state.employment;
  return withLastQualifying({ ...state, contacts, employment });
}

/** R19 v2: recorded as service after employment or exit; it moves no contact clock. */
function recordFollowUpContact(state: CaseState, event: FollowUpContactRecorded): CaseState {
  const d = event.data;
  const entry: ContactEntry = { ...contactEntry(d, event.eventId), followUp: true };
  const verifies =
    d.verifiesEmployment && state.employment !== null && state.employment.verifiedOn === undefined;
  if (verifies) entry.verifiedEmployment = true;
  const employment =
    verifies && state.employment
      ? { ...state.employment, verifiedOn: d.occurredOn }
      : state.employment;
  return { ...state, contacts: [...state.contacts, entry], employment };
}

/** R22: the contact stays listed, voided; it no longer counts for any clock or verification. */
function voidContact(state: CaseState, event: ContactVoided): CaseState {
  const { contactId, reason, voidedOn } = event.data;
  const target = state.contacts.find((c) => c.contactId === contactId);
  if (!target) return state;
  let contacts = state.contacts.map((c) =>
    c.contactId === contactId
      ? { ...c, voided: { reason, voidedOn }, verifiedEmployment: false, awaitingResponse: false }
      : c,
  );
  // R7: outreach that a voided response answered is unanswered again.
  const reopened = new Set(target.answersOutreach ?? []);
  if (reopened.size > 0)
    contacts = contacts.map((c) =>
      reopened.has(c.contactId) && c.voided === undefined ? { ...c, awaitingResponse: true } : c,
    );
  let employment = state.employment;
  if (target.verifiedEmployment && employment) {
    // Another follow-up contact that verified the same employment keeps it verified.
    const other = contacts.find((c) => c.verifiedEmployment === true && c.voided === undefined);
    const { verifiedOn: _dropped, ...rest } = employment;
    employment = other ? { ...rest, verifiedOn: other.occurredOn } : rest;
  }
  return withLastQualifying({ ...state, contacts, employment });
}

/**
 * R8/R9: the clocks count from the latest qualifying contact that still counts
 * (a back-dated entry never moves a clock earlier; a voided one no longer counts).
 */
function withLastQualifying(state: CaseState): CaseState {
  let last: ContactEntry | null = null;
  for (const c of state.contacts) {
    if (!c.qualifying || c.voided !== undefined) continue;
    if (last === null || c.occurredOn >= last.occurredOn) last = c;
  }
  return {
    ...state,
    lastQualifyingContactOn: last?.occurredOn ?? null,
    lastQualifyingContactId: last?.contactId ?? null,
  };
}

const CORRECTIONS: Record<CorrectableEntity, keyof CaseState> = {
  ENROLLMENT: 'enrollments',
  GAP: 'plannedGaps',
  GOAL: 'goals',
  ASSESSMENT: 'assessments',
  BARRIER: 'barriers',
};

const ID_FIELD: Record<CorrectableEntity, string> = {
  ENROLLMENT: 'enrollmentId',
  GAP: 'gapId',
  GOAL: 'goalId',
  ASSESSMENT: 'assessmentId',
  BARRIER: 'barrierId',
};

/** R22: the corrected fields replace the entry's; the previous values stay in the event. */
function correctEntry(state: CaseState, event: EntryCorrected): CaseState {
  const { entity, id, fields } = event.data;
  const key = CORRECTIONS[entity];
  const idField = ID_FIELD[entity];
  const list = state[key] as unknown as Array<Record<string, unknown>>;
  if (!Array.isArray(list)) return state;
  return {
    ...state,
    [key]: list.map((entry) => (entry[idField] === id ? { ...entry, ...fields } : entry)),
  };
}

function ignoreUnknown(_event: never, state: CaseState): CaseState {
  return state;
}

const blank = (value: string): string => (value === '' ? '' : PERSONAL_DATA_DISPOSED);
const blankOptional = (value: string | undefined): string | undefined =>
  value === undefined ? undefined : blank(value);
const blankJob = (job: JobInformation): JobInformation => ({
  ...job,
  employerAddress: blank(job.employerAddress),
  employerPhone: blank(job.employerPhone),
  employerContact: blank(job.employerContact),
});

/**
 * The fold of `PersonalDataDisposed`: every personal field of the state (the
 * README "Personal data" list) becomes the marker; an empty field stays empty
 * so that what counts emptiness (barriers without a plan) counts the same.
 */
export function withoutPersonalData(state: CaseState, disposedOn: BusinessDate): CaseState {
  return {
    ...state,
    personalDataDisposedOn: disposedOn,
    customer: state.customer
      ? {
          id: PERSONAL_DATA_DISPOSED,
          firstName: PERSONAL_DATA_DISPOSED,
          lastName: PERSONAL_DATA_DISPOSED,
        }
      : null,
    contacts: state.contacts.map((c) => ({
      ...c,
      progress: blank(c.progress),
      justification: blank(c.justification),
    })),
    barriers: state.barriers.map((b) => ({
      ...b,
      description: blank(b.description),
      plan: blank(b.plan),
      ...(b.how !== undefined ? { how: blank(b.how) } : {}),
    })),
    plannedGaps: state.plannedGaps.map((g) =>
      g.note !== undefined ? { ...g, note: blankOptional(g.note) } : g,
    ),
    goals: state.goals.map((g) => ({ ...g, statement: blank(g.statement) })),
    assessments: state.assessments.map((a) => ({ ...a, summary: blank(a.summary) })),
    employment: state.employment
      ? { ...state.employment, job: blankJob(state.employment.job) }
      : null,
    suspension: state.suspension
      ? {
          ...state.suspension,
          details: blank(state.suspension.details),
          ...(state.suspension.job ? { job: blankJob(state.suspension.job) } : {}),
        }
      : null,
  };
}
