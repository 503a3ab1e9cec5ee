import { DEFAULT_POLICIES, createPolicyBook, defaultPolicy } from '../policy/policy-book';
import { termsOf, type ContactPolicy, type DecideContext } from '../policy/contact-policy';
import { addDays, businessDate, type BusinessDate } from '../shared/business-date';
import type {
  ApproveSuspension,
  EndEnrollment,
  EnrollInActivity,
  IdentifyBarrier,
  OpenCase,
  OvercomeBarrier,
  RaiseTickler,
  RecordAssessment,
  RecordContact,
  RecordEmployment,
  ResolveGoal,
  ReturnSuspension,
  SchedulePlannedGap,
  SetGoal,
  SoftExitCase,
  SuspendCase,
  TransferCase,
  VoidContact,
  EndPlannedGap,
} from '../case/case.commands';
import type {
  ActivityEnded,
  ActivityEnrolled,
  AssessmentRecorded,
  BarrierIdentified,
  BarrierOvercome,
  CaseClosed,
  CaseOpened,
  CaseSoftExited,
  CaseSuspended,
  CaseTransferred,
  ContactAttempted,
  ContactRecorded,
  EmploymentRecorded,
  GoalResolved,
  GoalSet,
  PlannedGapScheduled,
  SuspensionReturned,
  TicklerRaised,
  FollowUpContactRecorded,
  ContactVoided,
} from '../case/case.events';
import type {
  ActivityType,
  Actor,
  AssessmentExemption,
  AssessmentKind,
  ClosureReason,
  ContactMethod,
  ContactOutcome,
  ContactParty,
  GapReason,
  GoalResolution,
  JobInformation,
  Program,
  TicklerKind,
} from '../case/case.vocabulary';
import { SYSTEM_ACTOR } from '../case/system-actor';

/**
 * Builders for given/when/then scenarios. Every builder of a command has a twin
 * for the event it causes, with the same defaults, so a spec reads
 * `.when(recordContact({ on: day(30) })).then([contactRecorded({ on: day(30) })])`.
 */

/**
 * The one way tests build business dates: `day(n)` for scenario days, `date`
 * for a calendar date written out (it throws on a malformed one, so a typo
 * fails the test that made it). Day 0 of every scenario is a Monday.
 */
export const date = (text: string): BusinessDate => businessDate(text);

type AsText<V> = V extends BusinessDate ? string : V;
/**
 * What a test expects of a record, its business dates written as text
 * (`{ contactDueOn: '2024-03-10' }`): the same strings at run time.
 */
export type Expected<T> = { [K in keyof T]?: AsText<T[K]> };
export const DAY_ZERO: BusinessDate = date('2025-01-06');
export const day = (n: number): BusinessDate => addDays(DAY_ZERO, n);

export const CASE_ID = '3f9c2a8e-1d4b-4c6a-9e7f-000000000001';
export const CENTER = 'cc-springfield';
export const OTHER_CENTER = 'cc-joplin';
export const AREA = 'MO-DEFAULT';
export const MANAGER = 'staff-cm-1';

export const MO_POLICY: ContactPolicy =
  DEFAULT_POLICIES.find((p) => p.localAreaId === 'MO-DEFAULT') ?? defaultPolicy('MO-DEFAULT');
export const MA_POLICY: ContactPolicy =
  DEFAULT_POLICIES.find((p) => p.localAreaId === 'MA-DEFAULT') ?? defaultPolicy('MA-DEFAULT');
export const POLICY_BOOK = createPolicyBook(DEFAULT_POLICIES);

/** Texts long enough for R4's default minimum. */
export const PROGRESS = 'Attends every class; passed the mid-term welding practical.';
export const JUSTIFICATION = 'On track for the certificate; continued training is justified.';

export const COMPLETE_JOB: JobInformation = {
  title: 'Welder',
  employerName: 'Ozark Fabrication',
  employerAddress: '12 Mill St, Springfield MO',
  employerPhone: '417-555-0100',
  employerContact: 'Dana Reyes',
  hourlyWage: 21.5,
  hoursPerWeek: 40,
  benefits: 'Health, dental, paid leave',
};

// ── actors and context ─────────────────────────────────────────────────────

export const caseManager = (over: Partial<Actor> = {}): Actor => ({
  staffId: MANAGER,
  role: 'case_manager',
  careerCenterId: CENTER,
  ...over,
});
export const supervisor = (over: Partial<Actor> = {}): Actor => ({
  staffId: 'staff-sup-1',
  role: 'supervisor',
  careerCenterId: CENTER,
  ...over,
});
export const auditor = (over: Partial<Actor> = {}): Actor => ({
  staffId: 'staff-aud-1',
  role: 'auditor',
  careerCenterId: CENTER,
  ...over,
});
export const admin = (over: Partial<Actor> = {}): Actor => ({
  staffId: 'staff-admin-1',
  role: 'admin',
  careerCenterId: 'cc-state-office',
  ...over,
});
export const systemActor = (): Actor => SYSTEM_ACTOR;

export const context = (over: Partial<DecideContext> = {}): DecideContext => ({
  policy: MO_POLICY,
  policyOf: POLICY_BOOK.policyOf,
  today: day(0),
  actor: caseManager(),
  ...over,
});

// ── opening ────────────────────────────────────────────────────────────────

interface OpenOptions {
  on?: BusinessDate;
  caseId?: string;
  program?: Program;
  careerCenterId?: string;
  localAreaId?: string;
  caseManagerId?: string;
  policy?: ContactPolicy;
}

const openData = (o: OpenOptions) => ({
  caseId: o.caseId ?? CASE_ID,
  customer: { id: 'cust-1', firstName: 'Jordan', lastName: 'Ames' },
  program: o.program ?? 'WIOA_ADULT',
  careerCenterId: o.careerCenterId ?? CENTER,
  localAreaId: o.localAreaId ?? o.policy?.localAreaId ?? AREA,
  caseManagerId: o.caseManagerId ?? MANAGER,
  openedOn: o.on ?? day(0),
});

export const openCase = (o: OpenOptions = {}): OpenCase => ({
  type: 'OpenCase',
  data: openData(o),
});
export const caseOpened = (o: OpenOptions = {}): CaseOpened => ({
  type: 'CaseOpened',
  data: { ...openData(o), policy: termsOf(o.policy ?? MO_POLICY) },
});

// ── enrollments ────────────────────────────────────────────────────────────

interface EnrollOptions {
  on?: BusinessDate;
  id?: string;
  activityType?: ActivityType;
  endDate?: BusinessDate;
}

const enrollData = (o: EnrollOptions) => ({
  enrollmentId: o.id ?? 'enr-1',
  activityType: o.activityType ?? 'JOB_SEARCH',
  activityName: 'Welding certificate',
  startDate: o.on ?? day(0),
  ...(o.endDate !== undefined && { endDate: o.endDate }),
});

export const enrollInActivity = (o: EnrollOptions = {}): EnrollInActivity => ({
  type: 'EnrollInActivity',
  data: enrollData(o),
});
export const enrolled = (o: EnrollOptions = {}): ActivityEnrolled => ({
  type: 'ActivityEnrolled',
  data: enrollData(o),
});

export const endEnrollment = (
  o: { id?: string; on: BusinessDate; outcome?: 'COMPLETED' | 'WITHDREW' | 'OTHER' } = {
    on: day(0),
  },
): EndEnrollment => ({
  type: 'EndEnrollment',
  data: { enrollmentId: o.id ?? 'enr-1', endDate: o.on, outcome: o.outcome ?? 'COMPLETED' },
});
export const enrollmentEnded = (
  o: { id?: string; on: BusinessDate; outcome?: 'COMPLETED' | 'WITHDREW' | 'OTHER' } = {
    on: day(0),
  },
): ActivityEnded => ({ type: 'ActivityEnded', data: endEnrollment(o).data });

// ── contacts ───────────────────────────────────────────────────────────────

export interface ContactOptions {
  on?: BusinessDate;
  id?: string;
  method?: ContactMethod;
  party?: ContactParty;
  outcome?: ContactOutcome;
  progress?: string;
  justification?: string;
  customerUnavailable?: boolean;
  providerUnavailable?: boolean;
  alternateHasSubstantiveKnowledge?: boolean;
  followUp?: boolean;
}

const contactFields = (o: ContactOptions, method: ContactMethod, outcome: ContactOutcome) => ({
  contactId: o.id ?? 'contact-1',
  method: o.method ?? method,
  party: o.party ?? 'CUSTOMER',
  outcome: o.outcome ?? outcome,
  occurredOn: o.on ?? day(0),
  progress: o.progress ?? PROGRESS,
  justification: o.justification ?? JUSTIFICATION,
  ...(o.customerUnavailable !== undefined && { customerUnavailable: o.customerUnavailable }),
  ...(o.providerUnavailable !== undefined && { providerUnavailable: o.providerUnavailable }),
  ...(o.alternateHasSubstantiveKnowledge !== undefined && {
    alternateHasSubstantiveKnowledge: o.alternateHasSubstantiveKnowledge,
  }),
});

/** Defaults to an in-person contact with the customer (a qualifying one). */
export const recordContact = (o: ContactOptions = {}): RecordContact => ({
  type: 'RecordContact',
  data: {
    ...contactFields(o, 'IN_PERSON', 'REACHED'),
    ...(o.followUp !== undefined && { followUp: o.followUp }),
  },
});

export const contactRecorded = (
  o: ContactOptions & { answersOutreach?: string[] } = {},
): ContactRecorded => ({
  type: 'ContactRecorded',
  data: {
    ...contactFields(o, 'IN_PERSON', 'REACHED'),
    qualifying: true,
    ...(o.followUp !== undefined && { followUp: o.followUp }),
    ...(o.answersOutreach !== undefined && { answersOutreach: o.answersOutreach }),
  },
});

/** R19 v2: a follow-up contact (in person with the customer by default); it never qualifies. */
export const followUpRecorded = (
  o: ContactOptions & { verifiesEmployment?: boolean } = {},
): FollowUpContactRecorded => ({
  type: 'FollowUpContactRecorded',
  data: {
    ...contactFields(o, 'IN_PERSON', 'REACHED'),
    qualifying: false,
    followUp: true,
    verifiesEmployment: o.verifiesEmployment ?? false,
  },
});

export const voidContact = (
  contactId: string,
  reason = 'Entered on the wrong case.',
): VoidContact => ({
  type: 'VoidContact',
  data: { contactId, reason },
});
export const contactVoided = (
  contactId: string,
  on: BusinessDate,
  o: { reason?: string; by?: string } = {},
): ContactVoided => ({
  type: 'ContactVoided',
  data: {
    contactId,
    reason: o.reason ?? 'Entered on the wrong case.',
    voidedOn: on,
    voidedBy: o.by ?? MANAGER,
  },
});

export const endPlannedGap = (gapId: string, endDate: BusinessDate): EndPlannedGap => ({
  type: 'EndPlannedGap',
  data: { gapId, endDate },
});

/** Defaults to a telephone call with no answer (R5). */
export const contactAttempted = (o: ContactOptions = {}): ContactAttempted => {
  const fields = contactFields(o, 'TELEPHONE', 'NO_ANSWER');
  const reason =
    fields.outcome === 'MESSAGE_LEFT'
      ? 'MESSAGE_LEFT'
      : fields.outcome === 'SENT'
        ? 'OUTREACH_SENT'
        : 'NO_ANSWER';
  return { type: 'ContactAttempted', data: { ...fields, qualifying: false, reason } };
};

// ── barriers, gaps, goals, assessments ─────────────────────────────────────

export const identifyBarrier = (
  o: { id?: string; on?: BusinessDate; description?: string; plan?: string } = {},
): IdentifyBarrier => ({
  type: 'IdentifyBarrier',
  data: {
    barrierId: o.id ?? 'barrier-1',
    category: 'TRANSPORTATION',
    description: o.description ?? 'No car; the bus does not reach the training site.',
    plan: o.plan ?? 'Bus pass through support services; car-pool list.',
    identifiedOn: o.on ?? day(0),
  },
});
export const barrierIdentified = (
  o: Parameters<typeof identifyBarrier>[0] = {},
): BarrierIdentified => ({ type: 'BarrierIdentified', data: identifyBarrier(o).data });

export const overcomeBarrier = (
  o: { id?: string; on?: BusinessDate; how?: string } = {},
): OvercomeBarrier => ({
  type: 'OvercomeBarrier',
  data: {
    barrierId: o.id ?? 'barrier-1',
    how: o.how ?? 'Monthly bus pass issued.',
    overcomeOn: o.on ?? day(0),
  },
});
export const barrierOvercome = (
  o: Parameters<typeof overcomeBarrier>[0] = {},
): BarrierOvercome => ({
  type: 'BarrierOvercome',
  data: overcomeBarrier(o).data,
});

export const schedulePlannedGap = (o: {
  id?: string;
  from: BusinessDate;
  to: BusinessDate;
  reason?: GapReason;
}): SchedulePlannedGap => ({
  type: 'SchedulePlannedGap',
  data: {
    gapId: o.id ?? 'gap-1',
    startDate: o.from,
    endDate: o.to,
    reason: o.reason ?? 'TRAINING_BREAK',
  },
});
export const gapScheduled = (o: Parameters<typeof schedulePlannedGap>[0]): PlannedGapScheduled => ({
  type: 'PlannedGapScheduled',
  data: schedulePlannedGap(o).data,
});

export const setGoal = (o: { id?: string; statement?: string } = {}): SetGoal => ({
  type: 'SetGoal',
  data: { goalId: o.id ?? 'goal-1', statement: o.statement ?? 'Full-time work as a welder' },
});
export const goalSet = (o: Parameters<typeof setGoal>[0] = {}): GoalSet => ({
  type: 'GoalSet',
  data: setGoal(o).data,
});
export const resolveGoal = (o: { id?: string; status?: GoalResolution } = {}): ResolveGoal => ({
  type: 'ResolveGoal',
  data: { goalId: o.id ?? 'goal-1', status: o.status ?? 'ACHIEVED' },
});
export const goalResolved = (o: Parameters<typeof resolveGoal>[0] = {}): GoalResolved => ({
  type: 'GoalResolved',
  data: resolveGoal(o).data,
});

export const recordAssessment = (
  o: {
    id?: string;
    kind?: AssessmentKind;
    on?: BusinessDate;
    exemption?: AssessmentExemption;
  } = {},
): RecordAssessment => ({
  type: 'RecordAssessment',
  data: {
    assessmentId: o.id ?? `assessment-${o.kind ?? 'READING'}`,
    kind: o.kind ?? 'READING',
    administeredOn: o.on ?? day(0),
    summary: 'Scored at the ninth-grade level.',
    ...(o.exemption !== undefined && { exemption: o.exemption }),
  },
});
export const assessed = (o: Parameters<typeof recordAssessment>[0] = {}): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: recordAssessment(o).data,
});

// ── employment, transfer, suspension, closure ──────────────────────────────

export const recordEmployment = (
  o: { start?: BusinessDate; job?: JobInformation } = {},
): RecordEmployment => ({
  type: 'RecordEmployment',
  data: { job: o.job ?? COMPLETE_JOB, startDate: o.start ?? day(0) },
});
export const employmentRecorded = (
  o: { start?: BusinessDate; job?: JobInformation; followUpDays?: number } = {},
): EmploymentRecorded => ({
  type: 'EmploymentRecorded',
  data: {
    job: o.job ?? COMPLETE_JOB,
    startDate: o.start ?? day(0),
    followUpDueOn: addDays(o.start ?? day(0), o.followUpDays ?? MO_POLICY.followUpPeriodDays),
  },
});

export const transferCase = (
  o: {
    toCareerCenterId?: string;
    toLocalAreaId?: string;
    toCaseManagerId?: string;
    reason?: string;
  } = {},
): TransferCase => ({
  type: 'TransferCase',
  data: {
    toCareerCenterId: o.toCareerCenterId ?? OTHER_CENTER,
    ...(o.toLocalAreaId !== undefined && { toLocalAreaId: o.toLocalAreaId }),
    toCaseManagerId: o.toCaseManagerId ?? 'staff-cm-2',
    reason: o.reason ?? 'Customer moved closer to the Joplin center.',
  },
});
export const caseTransferred = (
  o: {
    on: BusinessDate;
    from?: { careerCenterId: string; localAreaId: string; caseManagerId: string };
    to?: { careerCenterId: string; localAreaId: string; caseManagerId: string };
    reason?: string;
    policy?: ContactPolicy;
  } = { on: day(0) },
): CaseTransferred => ({
  type: 'CaseTransferred',
  data: {
    from: o.from ?? { careerCenterId: CENTER, localAreaId: AREA, caseManagerId: MANAGER },
    to: o.to ?? { careerCenterId: OTHER_CENTER, localAreaId: AREA, caseManagerId: 'staff-cm-2' },
    reason: o.reason ?? 'Customer moved closer to the Joplin center.',
    transferredOn: o.on,
    policy: termsOf(o.policy ?? MO_POLICY),
  },
});

export const suspendCase = (
  o: { reason?: ClosureReason; details?: string; job?: JobInformation } = {},
): SuspendCase => ({
  type: 'SuspendCase',
  data: {
    reason: o.reason ?? 'MOVED_OUT_OF_AREA',
    details: o.details ?? 'Customer relocated to Kansas.',
    ...(o.job !== undefined && { job: o.job }),
  },
});
export const caseSuspended = (
  o: {
    on: BusinessDate;
    reason?: ClosureReason;
    details?: string;
    job?: JobInformation;
    by?: string;
  } = {
    on: day(0),
  },
): CaseSuspended => ({
  type: 'CaseSuspended',
  data: { ...suspendCase(o).data, suspendedOn: o.on, suspendedBy: o.by ?? MANAGER },
});

export const approveSuspension = (note?: string): ApproveSuspension => ({
  type: 'ApproveSuspension',
  data: note === undefined ? {} : { note },
});
export const returnSuspension = (
  requestedInformation = 'Attach the employer verification letter.',
): ReturnSuspension => ({ type: 'ReturnSuspension', data: { requestedInformation } });
export const suspensionReturned = (
  on: BusinessDate,
  requestedInformation = 'Attach the employer verification letter.',
): SuspensionReturned => ({
  type: 'SuspensionReturned',
  data: { requestedInformation, returnedOn: on },
});
/** A closure as v2 records it; `exitDate` defaults to day 0 (an opening with no contact). */
export const caseClosed = (o: {
  on: BusinessDate;
  reason?: ClosureReason;
  note?: string;
  exitDate?: BusinessDate | null;
}): CaseClosed => ({
  type: 'CaseClosed',
  data: {
    reason: o.reason ?? 'MOVED_OUT_OF_AREA',
    closedOn: o.on,
    ...(o.note !== undefined && { note: o.note }),
    exitDate: o.exitDate === undefined ? day(0) : o.exitDate,
    rules: ['R14', 'R16'],
    policy: null,
    suspension: null,
    approvedBy: null,
    softExit: null,
    employmentVerifiedBy: null,
    exit: null,
  },
});

export const softExitCase = (): SoftExitCase => ({ type: 'SoftExitCase', data: {} });
/** A soft exit as a fact for `given` (its explanation left out: folds do not read it). */
export const caseSoftExited = (o: {
  exitDate: BusinessDate;
  dueOn: BusinessDate;
  detectedOn: BusinessDate;
}): CaseSoftExited => ({
  type: 'CaseSoftExited',
  data: { ...o, rules: ['R8', 'R17'], trigger: 'DEADLINE_PASSED', policy: null, exit: null },
});

export const raiseTickler = (kind: TicklerKind, dueOn: BusinessDate): RaiseTickler => ({
  type: 'RaiseTickler',
  data: { kind, dueOn },
});
export const ticklerRaised = (
  kind: TicklerKind,
  dueOn: BusinessDate,
  raisedOn: BusinessDate,
): TicklerRaised => ({ type: 'TicklerRaised', data: { kind, dueOn, raisedOn } });
