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
type Event<Type extends string, Data> = { type: Type; data: Data };

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
  { reason: ClosureReason; details: string; job?: JobInformation; suspendedOn: BusinessDate }
>;

export type SuspensionReturned = Event<
  'SuspensionReturned',
  { requestedInformation: string; returnedOn: BusinessDate }
>;

export type CaseClosed = Event<
  'CaseClosed',
  { reason: ClosureReason; closedOn: BusinessDate; note?: string }
>;

/** R17: exit date is the last qualifying contact (or opening) date, not the detection day. */
export type CaseSoftExited = Event<
  'CaseSoftExited',
  { exitDate: BusinessDate; dueOn: BusinessDate; detectedOn: BusinessDate }
>;

/** The tickler said so, on that date (R9 contact due, R19 follow-up due). */
export type TicklerRaised = Event<
  'TicklerRaised',
  { kind: TicklerKind; dueOn: BusinessDate; raisedOn: BusinessDate }
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
  | TicklerRaised;

export type CaseEventType = CaseEvent['type'];

export const caseStreamId = (caseId: string): string => `case-${caseId}`;
