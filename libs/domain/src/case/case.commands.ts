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
 * Commands are imperative (STYLE.md "Names"); `type` equals the TypeScript name.
 * Ids of new entities are chosen by the caller (the HTTP shell generates UUIDs
 * when the client omits them), so `decide` stays deterministic.
 *
 * A command is parsed before it is built (STYLE.md 5): its dates are
 * `BusinessDate`s, its enums the vocabulary's unions, its required texts
 * non-blank and its ids plain, as the edge that builds it guarantees (the
 * request DTOs, the CLI, the deadline jobs). `decide` judges the rules only:
 * a date's range against the area's today and policy, never its format.
 */
type Command<Type extends string, Data> = { type: Type; data: Data };

export type OpenCase = Command<
  'OpenCase',
  {
    caseId: string;
    customer: Customer;
    program: Program;
    careerCenterId: string;
    localAreaId: string;
    caseManagerId: string;
    openedOn: BusinessDate;
    /**
     * Why a second active case of this customer in this program is opened on
     * purpose (the edge refuses a duplicate without it); kept in CaseOpened.
     */
    duplicateReason?: string;
  }
>;

export type EnrollInActivity = Command<
  'EnrollInActivity',
  {
    enrollmentId: string;
    activityType: ActivityType;
    activityName: string;
    providerName?: string;
    startDate: BusinessDate;
    endDate?: BusinessDate;
  }
>;

export type EndEnrollment = Command<
  'EndEnrollment',
  { enrollmentId: string; endDate: BusinessDate; outcome: EnrollmentOutcome }
>;

export type RecordContact = Command<
  'RecordContact',
  {
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
    /** R19: this contact verifies the customer's employment. */
    followUp?: boolean;
  }
>;

export type IdentifyBarrier = Command<
  'IdentifyBarrier',
  {
    barrierId: string;
    category: BarrierCategory;
    description: string;
    plan: string;
    identifiedOn: BusinessDate;
  }
>;

export type OvercomeBarrier = Command<
  'OvercomeBarrier',
  { barrierId: string; how: string; overcomeOn: BusinessDate }
>;

export type SchedulePlannedGap = Command<
  'SchedulePlannedGap',
  {
    gapId: string;
    startDate: BusinessDate;
    endDate: BusinessDate;
    reason: GapReason;
    note?: string;
  }
>;

export type SetGoal = Command<
  'SetGoal',
  { goalId: string; statement: string; wageRangeDesired?: WageRange }
>;

export type ResolveGoal = Command<'ResolveGoal', { goalId: string; status: GoalResolution }>;

export type RecordAssessment = Command<
  'RecordAssessment',
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

export type RecordEmployment = Command<
  'RecordEmployment',
  { job: JobInformation; startDate: BusinessDate }
>;

export type TransferCase = Command<
  'TransferCase',
  {
    toCareerCenterId: string;
    toLocalAreaId?: string;
    toCaseManagerId: string;
    reason: string;
  }
>;

export type SuspendCase = Command<
  'SuspendCase',
  { reason: ClosureReason; details: string; job?: JobInformation }
>;

export type ApproveSuspension = Command<'ApproveSuspension', { note?: string }>;

export type ReturnSuspension = Command<'ReturnSuspension', { requestedInformation: string }>;

/** Sent by the soft-exit job; `decide` re-checks the deadline (R8, R17). */
export type SoftExitCase = Command<'SoftExitCase', Record<string, never>>;

/** Sent by the contact-due / follow-up jobs: the tickler records that a deadline passed (R9, R19). */
export type RaiseTickler = Command<'RaiseTickler', { kind: TicklerKind; dueOn: BusinessDate }>;

/** R22: a contact entered in error stops counting; it stays in history. */
export type VoidContact = Command<'VoidContact', { contactId: string; reason: string }>;

/** R22: correct fields of an enrollment, gap, goal, assessment or barrier. */
export type CorrectEntry = Command<
  'CorrectEntry',
  { entity: CorrectableEntity; id: string; fields: Record<string, unknown>; reason: string }
>;

/** R10 v2: end a planned gap early (never later than planned, never before today). */
export type EndPlannedGap = Command<
  'EndPlannedGap',
  { gapId: string; endDate: BusinessDate; reason?: string }
>;

/** R22: correct the customer's name. */
export type CorrectCustomerDetails = Command<
  'CorrectCustomerDetails',
  { firstName?: string; lastName?: string; reason: string }
>;

/** R21: a supervisor's late qualifying contact that reverses a soft exit (per area policy). */
export type ReverseSoftExit = Command<
  'ReverseSoftExit',
  { contact: RecordContact['data']; justification: string }
>;

/**
 * Records retention: dispose of the customer's personal data on this case
 * (the shell destroys the data key; `retentionDays` is
 * PERSONAL_DATA_RETENTION_DAYS, so the rule is judged with today's setting).
 */
export type DisposePersonalData = Command<
  'DisposePersonalData',
  { customerId: string; reason: string; retentionRule: string; retentionDays: number }
>;

export type CaseCommand =
  | OpenCase
  | EnrollInActivity
  | EndEnrollment
  | RecordContact
  | IdentifyBarrier
  | OvercomeBarrier
  | SchedulePlannedGap
  | SetGoal
  | ResolveGoal
  | RecordAssessment
  | RecordEmployment
  | TransferCase
  | SuspendCase
  | ApproveSuspension
  | ReturnSuspension
  | SoftExitCase
  | RaiseTickler
  | VoidContact
  | CorrectEntry
  | EndPlannedGap
  | CorrectCustomerDetails
  | ReverseSoftExit
  | DisposePersonalData;

export type CaseCommandType = CaseCommand['type'];
