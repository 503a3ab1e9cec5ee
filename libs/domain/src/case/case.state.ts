import type { PolicyTerms } from '../policy/contact-policy';
import type { BusinessDate } from '../shared/business-date';
import type { Assignment, CaseEvent } from './case.events';
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
