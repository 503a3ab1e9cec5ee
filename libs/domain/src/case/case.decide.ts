import type { DecideContext } from '../policy/contact-policy';
import { termsOf } from '../policy/contact-policy';
import { addDays, isBusinessDate, type BusinessDate } from '../shared/business-date';
import { DomainError, invalid, notFound, refuse } from '../shared/errors';
import type {
  ApproveSuspension,
  CaseCommand,
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
  SuspendCase,
  TransferCase,
} from './case.commands';
import type { CaseEvent, ContactAttempted, ContactRecorded } from './case.events';
import {
  actorMayChangeCenter,
  actorMayIssue,
  classifyContact,
  closureReasonIsKnown,
  employmentVerified,
  followUpContactIsValid,
  gapDoesNotOverlap,
  isNonEmptyText,
  isTerminal,
  jobIsComplete,
  methodAllowsOutcome,
  noContactPeriodHasRun,
  noGoalPending,
  notesAreSubstantive,
  outreachAnsweredBy,
  partyIsAllowed,
  programIsKnown,
  requireActiveEnrollment,
  requireDate,
  requireNewId,
  requireNotBeforeOpening,
  requireOneOf,
  requireOrdered,
  requirePastDate,
  requireStatus,
  requireText,
  responseComesFromCustomer,
  softExitNotDue,
  trainingHasBasicSkillsScores,
} from './case.rules';
import type { CaseState } from './case.state';
import { evolve, initialCaseState } from './case.state';
import {
  ACTIVITY_TYPES,
  ASSESSMENT_EXEMPTIONS,
  ASSESSMENT_KINDS,
  BARRIER_CATEGORIES,
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  ENROLLMENT_OUTCOMES,
  GAP_REASONS,
  GOAL_RESOLUTIONS,
  TICKLER_KINDS,
} from './case.vocabulary';
import { isPastDue } from './deadlines';

/**
 * The case decider: `decide(command, state, context)` returns the events the
 * command causes, or throws a `DomainError` naming the refusing rule. Pure: no
 * clock (`context.today`), no I/O, deterministic ids (chosen by the caller).
 */
export function decide(
  command: CaseCommand,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  if (!isBusinessDate(context.today))
    throw new RangeError(`context.today must be a business date: ${String(context.today)}`);
  actorMayIssue(context.actor, command.type);

  if (command.type === 'OpenCase') {
    if (state.status !== 'NONE')
      throw new DomainError('CASE_EXISTS', 'conflict', `case ${state.caseId} already exists`, [
        'caseId',
      ]);
    return openCase(command, context);
  }
  if (state.status === 'NONE') throw notFound('case not found', ['caseId']);
  actorMayChangeCenter(context.actor, state.careerCenterId);

  // R17: a closed or soft-exited case accepts nothing; a late or duplicate job is harmless.
  if (isTerminal(state)) {
    if (command.type === 'SoftExitCase' || command.type === 'RaiseTickler') return [];
    throw refuse('R17', `the case is ${state.status} and accepts no further changes`);
  }
  // R16: a suspended case awaits its review; no clock runs, nothing else changes it.
  if (state.status === 'SUSPENDED') {
    if (command.type === 'SoftExitCase' || command.type === 'RaiseTickler') return [];
    if (command.type !== 'ApproveSuspension' && command.type !== 'ReturnSuspension')
      throw refuse(
        'CASE_STATUS',
        `the case is SUSPENDED for closure review: ${command.type} waits`,
      );
  }

  switch (command.type) {
    case 'EnrollInActivity':
      return enrollInActivity(command, state, context);
    case 'EndEnrollment':
      return endEnrollment(command, state, context);
    case 'RecordContact':
      return recordContact(command, state, context);
    case 'IdentifyBarrier':
      return identifyBarrier(command, state, context);
    case 'OvercomeBarrier':
      return overcomeBarrier(command, state, context);
    case 'SchedulePlannedGap':
      return schedulePlannedGap(command, state, context);
    case 'SetGoal':
      return setGoal(command, state);
    case 'ResolveGoal':
      return resolveGoal(command, state);
    case 'RecordAssessment':
      return recordAssessment(command, state, context);
    case 'RecordEmployment':
      return recordEmployment(command, state, context);
    case 'TransferCase':
      return transferCase(command, state, context);
    case 'SuspendCase':
      return suspendCase(command, state, context);
    case 'ApproveSuspension':
      return approveSuspension(command, state, context);
    case 'ReturnSuspension':
      return returnSuspension(command, state, context);
    case 'SoftExitCase':
      return softExitCase(state, context);
    case 'RaiseTickler':
      return raiseTickler(command, state, context);
    default: {
      const unknown: never = command;
      throw invalid('NOT_FOUND', `unknown command ${String((unknown as { type: unknown }).type)}`);
    }
  }
}

/** The decider triple (emmett / samples/decider shape) for shells and specs. */
export const caseDecider = { decide, evolve, initialState: initialCaseState };
export type CaseDecider = typeof caseDecider;

function openCase(command: OpenCase, context: DecideContext): CaseEvent[] {
  const d = command.data;
  const caseId = requireText(d.caseId, 'caseId', 'R2');
  const program = programIsKnown(d.program);
  // R2: exactly one case manager and one career center, in one local area.
  const careerCenterId = requireText(d.careerCenterId, 'careerCenterId', 'R2');
  const localAreaId = requireText(d.localAreaId, 'localAreaId', 'R2');
  const caseManagerId = requireText(d.caseManagerId, 'caseManagerId', 'R2');
  const customer = (d.customer ?? {}) as Partial<OpenCase['data']['customer']>;
  requireText(customer.id, 'customer.id', 'R2');
  requireText(customer.firstName, 'customer.firstName', 'R2');
  requireText(customer.lastName, 'customer.lastName', 'R2');
  const openedOn = requirePastDate(d.openedOn, 'openedOn', context.today, null);
  actorMayChangeCenter(context.actor, careerCenterId);
  const policy =
    context.policy.localAreaId === localAreaId ? context.policy : context.policyOf(localAreaId);
  if (!policy) throw invalid('R2', `unknown local area ${localAreaId}`, ['localAreaId']);
  return [
    {
      type: 'CaseOpened',
      data: {
        caseId,
        customer: {
          id: d.customer.id,
          firstName: d.customer.firstName,
          lastName: d.customer.lastName,
        },
        program,
        careerCenterId,
        localAreaId,
        caseManagerId,
        openedOn,
        policy: termsOf(policy),
      },
    },
  ];
}

function enrollInActivity(
  command: EnrollInActivity,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const enrollmentId = requireNewId(
    d.enrollmentId,
    state.enrollments.map((e) => e.enrollmentId),
    'enrollmentId',
    'R3',
  );
  const activityType = requireOneOf(d.activityType, ACTIVITY_TYPES, 'activityType', 'R3');
  const activityName = requireText(d.activityName, 'activityName', 'R3');
  const startDate = requirePastDate(d.startDate, 'startDate', today, state.openedOn);
  if (d.endDate !== undefined)
    requireOrdered(startDate, requireDate(d.endDate, 'endDate'), 'endDate');
  trainingHasBasicSkillsScores(state, activityType);
  return [
    {
      type: 'ActivityEnrolled',
      data: {
        enrollmentId,
        activityType,
        activityName,
        ...(d.providerName !== undefined && { providerName: d.providerName }),
        startDate,
        ...(d.endDate !== undefined && { endDate: d.endDate }),
      },
    },
  ];
}

function endEnrollment(
  command: EndEnrollment,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const enrollment = state.enrollments.find((e) => e.enrollmentId === d.enrollmentId);
  if (!enrollment)
    throw notFound(`enrollment ${String(d.enrollmentId)} not found`, ['enrollmentId']);
  if (enrollment.endedOn !== undefined)
    throw refuse('CASE_STATUS', `enrollment ${enrollment.enrollmentId} already ended`);
  const endDate = requirePastDate(d.endDate, 'endDate', today, state.openedOn);
  requireOrdered(enrollment.startDate, endDate, 'endDate');
  const outcome = requireOneOf(d.outcome, ENROLLMENT_OUTCOMES, 'outcome', 'R3');
  return [
    { type: 'ActivityEnded', data: { enrollmentId: enrollment.enrollmentId, endDate, outcome } },
  ];
}

function recordContact(
  command: RecordContact,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const { today } = context;
  const contactId = requireNewId(
    d.contactId,
    state.contacts.map((c) => c.contactId),
    'contactId',
    'R4',
  );
  const method = requireOneOf(d.method, CONTACT_METHODS, 'method', 'R4');
  const party = requireOneOf(d.party, CONTACT_PARTIES, 'party', 'R6');
  const outcome = requireOneOf(d.outcome, CONTACT_OUTCOMES, 'outcome', 'R4');
  const occurredOn = requirePastDate(d.occurredOn, 'occurredOn', today, state.openedOn);
  methodAllowsOutcome(method, outcome);
  notesAreSubstantive(d, context.policy.minNoteLength);
  softExitNotDue(state, today, 'a contact');
  if (outcome === 'RESPONSE_RECEIVED') responseComesFromCustomer(party);
  else partyIsAllowed(d);
  requireActiveEnrollment(state, occurredOn);

  const kind = classifyContact(outcome);
  if (d.followUp === true)
    followUpContactIsValid(state, { qualifying: kind.qualifying, occurredOn });

  const fields = {
    contactId,
    method,
    party,
    outcome,
    occurredOn,
    progress: d.progress,
    justification: d.justification,
    ...(d.customerUnavailable !== undefined && { customerUnavailable: d.customerUnavailable }),
    ...(d.providerUnavailable !== undefined && { providerUnavailable: d.providerUnavailable }),
    ...(d.alternateHasSubstantiveKnowledge !== undefined && {
      alternateHasSubstantiveKnowledge: d.alternateHasSubstantiveKnowledge,
    }),
  };
  if (!kind.qualifying) {
    const attempted: ContactAttempted = {
      type: 'ContactAttempted',
      data: { ...fields, qualifying: false, reason: kind.reason },
    };
    return [attempted];
  }
  const answers = outcome === 'RESPONSE_RECEIVED' ? outreachAnsweredBy(state, occurredOn) : [];
  const recorded: ContactRecorded = {
    type: 'ContactRecorded',
    data: {
      ...fields,
      qualifying: true,
      ...(d.followUp !== undefined && { followUp: d.followUp }),
      ...(outcome === 'RESPONSE_RECEIVED' && { answersOutreach: answers }),
    },
  };
  return [recorded];
}

function identifyBarrier(
  command: IdentifyBarrier,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const barrierId = requireNewId(
    d.barrierId,
    state.barriers.map((b) => b.barrierId),
    'barrierId',
    'R11',
  );
  const category = requireOneOf(d.category, BARRIER_CATEGORIES, 'category', 'R11');
  const description = requireText(d.description, 'description', 'R11');
  const plan = requireText(d.plan, 'plan', 'R11');
  const identifiedOn = requirePastDate(d.identifiedOn, 'identifiedOn', today, state.openedOn);
  return [
    { type: 'BarrierIdentified', data: { barrierId, category, description, plan, identifiedOn } },
  ];
}

function overcomeBarrier(
  command: OvercomeBarrier,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const barrier = state.barriers.find((b) => b.barrierId === d.barrierId);
  if (!barrier) throw notFound(`barrier ${String(d.barrierId)} not found`, ['barrierId']);
  // R11: a barrier is never deleted; once overcome, how it was overcome stands.
  if (barrier.status === 'OVERCOME')
    throw refuse(
      'R11',
      `barrier ${barrier.barrierId} was already overcome on ${String(barrier.overcomeOn)}`,
    );
  const how = requireText(d.how, 'how', 'R11');
  const overcomeOn = requirePastDate(d.overcomeOn, 'overcomeOn', today, state.openedOn);
  requireOrdered(barrier.identifiedOn, overcomeOn, 'overcomeOn');
  return [{ type: 'BarrierOvercome', data: { barrierId: barrier.barrierId, how, overcomeOn } }];
}

function schedulePlannedGap(
  command: SchedulePlannedGap,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const gapId = requireNewId(
    d.gapId,
    state.plannedGaps.map((g) => g.gapId),
    'gapId',
    'R10',
  );
  const reason = requireOneOf(d.reason, GAP_REASONS, 'reason', 'R10');
  // 01-02 §1: a gap is planned, so its dates may lie ahead; never before the opening.
  const startDate = requireNotBeforeOpening(
    requireDate(d.startDate, 'startDate'),
    'startDate',
    state.openedOn,
  );
  const endDate = requireDate(d.endDate, 'endDate');
  requireOrdered(startDate, endDate, 'endDate', 'R10');
  // R8: a gap entered after the deadline passed would revive a case that has exited.
  softExitNotDue(state, today, 'a planned gap');
  gapDoesNotOverlap(state, { startDate, endDate });
  return [
    {
      type: 'PlannedGapScheduled',
      data: { gapId, startDate, endDate, reason, ...(d.note !== undefined && { note: d.note }) },
    },
  ];
}

function setGoal(command: SetGoal, state: CaseState): CaseEvent[] {
  const d = command.data;
  const goalId = requireNewId(
    d.goalId,
    state.goals.map((g) => g.goalId),
    'goalId',
    'R15',
  );
  const statement = requireText(d.statement, 'statement', 'R15');
  if (d.wageRangeDesired !== undefined) {
    const { min, max } = d.wageRangeDesired;
    if (!(typeof min === 'number' && typeof max === 'number' && min >= 0 && min <= max))
      throw invalid('R15', 'wageRangeDesired needs 0 ≤ min ≤ max', ['wageRangeDesired']);
  }
  return [
    {
      type: 'GoalSet',
      data: {
        goalId,
        statement,
        ...(d.wageRangeDesired !== undefined && {
          wageRangeDesired: { min: d.wageRangeDesired.min, max: d.wageRangeDesired.max },
        }),
      },
    },
  ];
}

function resolveGoal(command: ResolveGoal, state: CaseState): CaseEvent[] {
  const d = command.data;
  const goal = state.goals.find((g) => g.goalId === d.goalId);
  if (!goal) throw notFound(`goal ${String(d.goalId)} not found`, ['goalId']);
  const status = requireOneOf(d.status, GOAL_RESOLUTIONS, 'status', 'R15');
  if (goal.status !== 'PENDING')
    throw refuse('R15', `goal ${goal.goalId} is already ${goal.status}`);
  return [{ type: 'GoalResolved', data: { goalId: goal.goalId, status } }];
}

function recordAssessment(
  command: RecordAssessment,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const assessmentId = requireNewId(
    d.assessmentId,
    state.assessments.map((a) => a.assessmentId),
    'assessmentId',
    'R18',
  );
  const kind = requireOneOf(d.kind, ASSESSMENT_KINDS, 'kind', 'R18');
  const administeredOn = requirePastDate(d.administeredOn, 'administeredOn', today, state.openedOn);
  const summary = requireText(d.summary, 'summary', 'R18');
  if (d.exemption !== undefined)
    requireOneOf(d.exemption, ASSESSMENT_EXEMPTIONS, 'exemption', 'R18');
  return [
    {
      type: 'AssessmentRecorded',
      data: {
        assessmentId,
        kind,
        ...(d.instrument !== undefined && { instrument: d.instrument }),
        administeredOn,
        ...(d.score !== undefined && { score: d.score }),
        summary,
        ...(d.exemption !== undefined && { exemption: d.exemption }),
      },
    },
  ];
}

function recordEmployment(
  command: RecordEmployment,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const job = jobIsComplete(d.job);
  const startDate = requirePastDate(d.startDate, 'startDate', today, state.openedOn);
  const followUpPeriodDays = state.policy?.followUpPeriodDays ?? 0;
  return [
    {
      type: 'EmploymentRecorded',
      data: {
        job: { ...job },
        startDate,
        // R19: the follow-up is due one follow-up period after the job start.
        followUpDueOn: addDays(startDate, followUpPeriodDays),
      },
    },
  ];
}

function transferCase(
  command: TransferCase,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const toCareerCenterId = requireText(d.toCareerCenterId, 'toCareerCenterId', 'R12');
  const toCaseManagerId = requireText(d.toCaseManagerId, 'toCaseManagerId', 'R12');
  const reason = requireText(d.reason, 'reason', 'R12');
  const toLocalAreaId = isNonEmptyText(d.toLocalAreaId) ? d.toLocalAreaId : state.localAreaId;
  const policy =
    context.policyOf(toLocalAreaId) ??
    (toLocalAreaId === context.policy.localAreaId ? context.policy : undefined);
  if (!policy) throw invalid('R2', `unknown local area ${toLocalAreaId}`, ['toLocalAreaId']);
  if (toCareerCenterId === state.careerCenterId && toCaseManagerId === state.caseManagerId)
    throw refuse('R12', 'the case is already with that career center and case manager');
  return [
    {
      type: 'CaseTransferred',
      data: {
        from: {
          careerCenterId: state.careerCenterId,
          localAreaId: state.localAreaId,
          caseManagerId: state.caseManagerId,
        },
        to: {
          careerCenterId: toCareerCenterId,
          localAreaId: toLocalAreaId,
          caseManagerId: toCaseManagerId,
        },
        reason,
        transferredOn: context.today,
        policy: termsOf(policy),
      },
    },
  ];
}

function suspendCase(
  command: SuspendCase,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  requireStatus(state, 'ACTIVE', 'SuspendCase');
  const d = command.data;
  const reason = closureReasonIsKnown(d.reason);
  const details = typeof d.details === 'string' ? d.details : '';
  let job = d.job;
  switch (reason) {
    case 'EMPLOYMENT_ATTAINED':
      if (job !== undefined) jobIsComplete(job);
      else if (state.employment) job = state.employment.job;
      else throw invalid('R14', 'EMPLOYMENT_ATTAINED needs the job information', ['job']);
      break;
    case 'OTHER':
      requireText(d.details, 'details', 'R14');
      break;
    case 'NO_CONTACT_90_DAYS':
      noContactPeriodHasRun(state, today);
      break;
    default:
      break;
  }
  noGoalPending(state);
  if (reason === 'EMPLOYMENT_ATTAINED') employmentVerified(state);
  return [
    {
      type: 'CaseSuspended',
      data: {
        reason,
        details,
        ...(job !== undefined && { job: { ...job } }),
        suspendedOn: today,
      },
    },
  ];
}

function approveSuspension(
  command: ApproveSuspension,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  requireStatus(state, 'SUSPENDED', 'ApproveSuspension');
  const reason = state.suspension?.reason ?? 'OTHER';
  const note = command.data?.note;
  return [
    {
      type: 'CaseClosed',
      data: { reason, closedOn: today, ...(note !== undefined && { note }) },
    },
  ];
}

function returnSuspension(
  command: ReturnSuspension,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  requireStatus(state, 'SUSPENDED', 'ReturnSuspension');
  const requestedInformation = requireText(
    command.data?.requestedInformation,
    'requestedInformation',
    'R16',
  );
  return [{ type: 'SuspensionReturned', data: { requestedInformation, returnedOn: today } }];
}

/** R17: the job only wakes the case; the deadline is judged here, from the state. */
function softExitCase(state: CaseState, { today }: DecideContext): CaseEvent[] {
  if (state.status !== 'ACTIVE' || !isPastDue(today, state.softExitDueOn)) return [];
  const exitDate = (state.lastQualifyingContactOn ?? state.openedOn) as BusinessDate;
  return [
    {
      type: 'CaseSoftExited',
      data: { exitDate, dueOn: state.softExitDueOn as BusinessDate, detectedOn: today },
    },
  ];
}

/** R9, R19: a passed tickler deadline is recorded once per due date; it refuses nothing. */
function raiseTickler(
  command: RaiseTickler,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const kind = requireOneOf(command.data?.kind, TICKLER_KINDS, 'kind', 'R9');
  const { dueOn } = command.data;
  const current = kind === 'CONTACT_DUE' ? state.contactDueOn : state.followUpDueOn;
  if (state.status !== 'ACTIVE' || current === null || current !== dueOn) return [];
  if (!isPastDue(today, current)) return [];
  if (state.ticklersRaised.some((t) => t.kind === kind && t.dueOn === dueOn)) return [];
  return [{ type: 'TicklerRaised', data: { kind, dueOn, raisedOn: today } }];
}
