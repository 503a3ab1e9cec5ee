import type { PolicyTerms } from '../policy/contact-policy';
import type { BusinessDate } from '../shared/business-date';
import type {
  ActivityType,
  AssessmentExemption,
  AssessmentKind,
  BarrierCategory,
  ClosureReason,
  ContactMethod,
  ContactOutcome,
  ContactParty,
  CorrectableEntity,
  Customer,
  EnrollmentOutcome,
  GapReason,
  GoalResolution,
  JobInformation,
  Program,
  TicklerKind,
  WageRange,
} from './case.vocabulary';

/**
 * Events are past tense; `type` equals the TypeScript name. The four events the
 * mission names keep their names: CaseOpened, ContactRecorded, BarrierIdentified,
 * CaseSuspended. Metadata (ids, actor, hash…) is the event store's envelope, not
 * part of `data`.
 */
type Event<Type extends string, Data> = {
  type: Type;
  data: Data;
  /**
   * The store's id of this event, when it was read from the store (the shell
   * sets it; `decide` never does). Facts remember it so that decisions can name
   * the events they rest on (DESIGN.md "Events" v2).
   */
  eventId?: string;
};

export type CaseOpened = Event<
  'CaseOpened',
  {
    caseId: string;
    customer: Customer;
    program: Program;
    careerCenterId: string;
    localAreaId: string;
    caseManagerId: string;
    openedOn: BusinessDate;
    /** The area's terms at opening, so replay never depends on today's configuration. */
    policy: PolicyTerms;
    /** Given when a second active case in the same program was opened on purpose. */
    duplicateReason?: string;
  }
>;

export type ActivityEnrolled = Event<
  'ActivityEnrolled',
  {
    enrollmentId: string;
    activityType: ActivityType;
    activityName: string;
    providerName?: string;
    startDate: BusinessDate;
    endDate?: BusinessDate;
  }
>;

export type ActivityEnded = Event<
  'ActivityEnded',
  { enrollmentId: string; endDate: BusinessDate; outcome: EnrollmentOutcome }
>;

interface ContactFields {
  contactId: string;
  method: ContactMethod;
  party: ContactParty;
  outcome: ContactOutcome;
  occurredOn: BusinessDate;
  progress: string;
  justification: string;
  customerUnavailable?: boolean;
  providerUnavailable?: boolean;
  alternateHasSubstantiveKnowledge?: boolean;
}

/** A qualifying case management contact: it resets the R8/R9 clocks. */
export type ContactRecorded = Event<
  'ContactRecorded',
  ContactFields & {
    qualifying: true;
    /** R19: this contact verified the customer's employment. */
    followUp?: boolean;
    /** R7: the outreach (letters, e-mails) this customer response answers. */
    answersOutreach?: string[];
  }
>;

/**
 * A recorded contact that does not qualify (R5: no answer, message left; R7: a
 * letter or e-mail sent). It never moves a deadline.
 */
export type ContactAttempted = Event<
  'ContactAttempted',
  ContactFields & {
    qualifying: false;
    reason: 'NO_ANSWER' | 'MESSAGE_LEFT' | 'OUTREACH_SENT';
  }
>;

export type BarrierIdentified = Event<
  'BarrierIdentified',
  {
    barrierId: string;
    category: BarrierCategory;
    description: string;
    plan: string;
    identifiedOn: BusinessDate;
  }
>;

export type BarrierOvercome = Event<
  'BarrierOvercome',
  { barrierId: string; how: string; overcomeOn: BusinessDate }
>;

export type PlannedGapScheduled = Event<
  'PlannedGapScheduled',
  {
    gapId: string;
    startDate: BusinessDate;
    endDate: BusinessDate;
    reason: GapReason;
    note?: string;
  }
>;

export type GoalSet = Event<
  'GoalSet',
  { goalId: string; statement: string; wageRangeDesired?: WageRange }
>;

export type GoalResolved = Event<'GoalResolved', { goalId: string; status: GoalResolution }>;

export type AssessmentRecorded = Event<
  'AssessmentRecorded',
  {
    assessmentId: string;
    kind: AssessmentKind;
    instrument?: string;
    administeredOn: BusinessDate;
    score?: string;
    summary: string;
    exemption?: AssessmentExemption;
  }
>;

export type EmploymentRecorded = Event<
  'EmploymentRecorded',
  { job: JobInformation; startDate: BusinessDate; followUpDueOn: BusinessDate }
>;

export interface Assignment {
  careerCenterId: string;
  localAreaId: string;
  caseManagerId: string;
}

export type CaseTransferred = Event<
  'CaseTransferred',
  {
    from: Assignment;
    to: Assignment;
    reason: string;
    transferredOn: BusinessDate;
    /** The receiving area's terms (R12: the history stays, the standard follows the area). */
    policy: PolicyTerms;
  }
>;

export type CaseSuspended = Event<
  'CaseSuspended',
  {
    reason: ClosureReason;
    details: string;
    job?: JobInformation;
    suspendedOn: BusinessDate;
    /** R16 v2 maker-checker: who asked for the closure (absent on v1 events). */
    suspendedBy?: string;
  }
>;

export type SuspensionReturned = Event<
  'SuspensionReturned',
  { requestedInformation: string; returnedOn: BusinessDate }
>;

/** The policy a decision applied: which one, which edition, with which terms. */
export interface DecisionPolicy {
  localAreaId: string;
  policyId: string;
  version: number;
  terms: PolicyTerms;
}

/** A fact a decision rests on: the event that recorded it (null when read before v2). */
export interface ContactRef {
  contactId: string;
  eventId: string | null;
  occurredOn: BusinessDate;
}

export interface GapRef {
  gapId: string;
  eventId: string | null;
  startDate: BusinessDate;
  endDate: BusinessDate;
  /** Gap days (inclusive) inside the window that moved the deadline (R10). */
  daysCounted: number;
}

export interface OutreachRef extends ContactRef {
  method: ContactMethod;
  /** R5 / R7 / R19 / R22: why it did not count. */
  reason: 'NO_ANSWER' | 'MESSAGE_LEFT' | 'OUTREACH_SENT' | 'FOLLOW_UP' | 'VOIDED';
}

/**
 * Why a program exit has the date it has (R8, R10, R17): the last day of
 * service and everything the deadline was computed from.
 */
export interface ExitBasis {
  /** Whether the exit date is the last qualifying contact or, with none, the opening. */
  basis: 'LAST_QUALIFYING_CONTACT' | 'OPENING';
  opening: { eventId: string | null; openedOn: BusinessDate };
  lastQualifyingContact: ContactRef | null;
  gapsCounted: GapRef[];
  /** Contacts after the exit date that did not count (attempts, outreach, follow-ups, voided). */
  notCounted: OutreachRef[];
}

export type CaseClosed = Event<
  'CaseClosed',
  {
    reason: ClosureReason;
    /** R14 v2: the approval date. */
    closedOn: BusinessDate;
    note?: string;
    /**
     * R14 v2: the program exit date (last qualifying contact or opening), never
     * the approval date. Null only on a v1 event, whose fold derives it.
     */
    exitDate: BusinessDate | null;
    /** Rule ids the closure applied (R14, R15, R16, R19…); empty on a v1 event. */
    rules: string[];
    policy: DecisionPolicy | null;
    /** The suspension approved (R16) and who approved it. */
    suspension: {
      eventId: string | null;
      suspendedOn: BusinessDate;
      suspendedBy: string | null;
    } | null;
    approvedBy: string | null;
    /** The program exit this closure follows (a soft exit), if any. */
    softExit: { eventId: string | null; exitDate: BusinessDate } | null;
    /** R19: the follow-up contact that verified the employment. */
    employmentVerifiedBy: ContactRef | null;
    exit: ExitBasis | null;
  }
>;

/**
 * R17: exit date is the last qualifying contact (or opening) date, not the
 * detection day. v2: the decision explains itself (rules, policy, the events
 * it rests on); a v1 event is read with `rules: ['R8', 'R17']` and nulls.
 */
export type CaseSoftExited = Event<
  'CaseSoftExited',
  {
    exitDate: BusinessDate;
    dueOn: BusinessDate;
    detectedOn: BusinessDate;
    rules: string[];
    /** What brought it about: the deadline passing, or a voided contact (R22). */
    trigger: 'DEADLINE_PASSED' | 'CONTACT_VOIDED';
    policy: DecisionPolicy | null;
    exit: ExitBasis | null;
  }
>;

/** R19 v2: a follow-up service after employment or exit; it never qualifies. */
export type FollowUpContactRecorded = Event<
  'FollowUpContactRecorded',
  ContactFields & {
    qualifying: false;
    followUp: true;
    /** R19: this contact verified the recorded employment (on or after its follow-up date). */
    verifiesEmployment: boolean;
  }
>;

/** R10 v2: a planned gap ended before its planned end. */
export type PlannedGapEnded = Event<
  'PlannedGapEnded',
  {
    gapId: string;
    endDate: BusinessDate;
    plannedEndDate: BusinessDate;
    endedOn: BusinessDate;
    reason?: string;
  }
>;

/** R22: a contact entered in error; it stays in history and no longer counts. */
export type ContactVoided = Event<
  'ContactVoided',
  { contactId: string; reason: string; voidedOn: BusinessDate; voidedBy: string }
>;

/** R22: fields of an entry corrected, with their previous values. */
export type EntryCorrected = Event<
  'EntryCorrected',
  {
    entity: CorrectableEntity;
    id: string;
    fields: Record<string, unknown>;
    previous: Record<string, unknown>;
    reason: string;
    correctedOn: BusinessDate;
    correctedBy: string;
  }
>;

/** R22: the customer's name corrected. */
export type CustomerDetailsCorrected = Event<
  'CustomerDetailsCorrected',
  {
    firstName: string;
    lastName: string;
    previous: { firstName: string; lastName: string };
    reason: string;
    correctedOn: BusinessDate;
    correctedBy: string;
  }
>;

/**
 * R21: a compensating event. The reversed `CaseSoftExited` stays in history;
 * this names it and the late qualifying contact (recorded right after) that
 * voids it.
 */
export type SoftExitReversed = Event<
  'SoftExitReversed',
  {
    reversedExit: {
      eventId: string | null;
      exitDate: BusinessDate;
      dueOn: BusinessDate;
      detectedOn: BusinessDate;
    };
    lateContactId: string;
    lateContactOn: BusinessDate;
    justification: string;
    reversedOn: BusinessDate;
    approvedBy: string;
    rules: string[];
    policy: DecisionPolicy;
  }
>;

/** The tickler said so, on that date (R9 contact due, R19 follow-up due). */
export type TicklerRaised = Event<
  'TicklerRaised',
  { kind: TicklerKind; dueOn: BusinessDate; raisedOn: BusinessDate }
>;

/**
 * Records retention: the customer's personal data on this case was disposed
 * of (its data key destroyed). Status, dates, reasons and counts stay; the
 * personal fields read as PERSONAL_DATA_DISPOSED from here on.
 */
export type PersonalDataDisposed = Event<
  'PersonalDataDisposed',
  {
    caseId: string;
    customerId: string;
    disposedOn: BusinessDate;
    reason: string;
    retentionRule: string;
  }
>;

export type CaseEvent =
  | CaseOpened
  | ActivityEnrolled
  | ActivityEnded
  | ContactRecorded
  | ContactAttempted
  | BarrierIdentified
  | BarrierOvercome
  | PlannedGapScheduled
  | GoalSet
  | GoalResolved
  | AssessmentRecorded
  | EmploymentRecorded
  | CaseTransferred
  | CaseSuspended
  | SuspensionReturned
  | CaseClosed
  | CaseSoftExited
  | TicklerRaised
  | FollowUpContactRecorded
  | PlannedGapEnded
  | ContactVoided
  | EntryCorrected
  | CustomerDetailsCorrected
  | SoftExitReversed
  | PersonalDataDisposed;

export type CaseEventType = CaseEvent['type'];

export const caseStreamId = (caseId: string): string => `case-${caseId}`;
