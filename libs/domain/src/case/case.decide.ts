import type { DecideContext } from '../policy/contact-policy';
import { termsOf } from '../policy/contact-policy';
import { addDays, type BusinessDate } from '../shared/business-date';
import { DomainError, invalid, notFound, refuse } from '../shared/errors';
import type {
  ApproveSuspension,
  CaseCommand,
  CorrectCustomerDetails,
  CorrectEntry,
  EndEnrollment,
  EndPlannedGap,
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
  ReverseSoftExit,
  SchedulePlannedGap,
  SetGoal,
  SuspendCase,
  TransferCase,
  VoidContact,
} from './case.commands';
import type {
  CaseEvent,
  CaseSoftExited,
  ContactAttempted,
  ContactRecorded,
  ContactVoided,
  DecisionPolicy,
  ExitBasis,
  FollowUpContactRecorded,
  GapRef,
  OutreachRef,
  SoftExitReversed,
} from './case.events';
import {
  actorMayChangeCenter,
  actorMayIssue,
  classifyContact,
  closedCaseRefuses,
  contactsLosingJustification,
  employmentVerified,
  followUpContactIsValid,
  gapDoesNotOverlap,
  gapIsPlanned,
  isNonEmptyText,
  methodAllowsOutcome,
  noContactPeriodHasRun,
  noGoalPending,
  notesAreSubstantive,
  outreachAnsweredBy,
  partyIsAllowed,
  requireActiveEnrollment,
  requireNewId,
  requireNotBeforeOpening,
  requireNotTooFarAhead,
  requireOneOf,
  requireOrdered,
  requirePlausibleDate,
  requirePastDate,
  requireText,
  responseComesFromCustomer,
  softExitedCaseRefuses,
  trainingHasBasicSkillsScores,
} from './case.rules';
import type { CaseState } from './case.state';
import { evolve, initialCaseState } from './case.state';
import { BARRIER_CATEGORIES, GAP_REASONS, type CorrectableEntity } from './case.vocabulary';
import { clockBase, gapDaysWithin, isPastDue } from './deadlines';
import { disposePersonalData } from './case.retention';

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

  // Records retention: disposal is what a CLOSED case still takes (R17 aside).
  if (command.type === 'DisposePersonalData') return disposePersonalData(command, state, context);
  if (closedCaseRefuses(command, state) === 'ignore') return [];
  // R8 v2: once the deadline has passed, only the soft exit itself is accepted
  // (entries are made "prior to a soft exit occurring", 01-02 §2.3).
  if (
    state.status === 'ACTIVE' &&
    isPastDue(context.today, state.softExitDueOn) &&
    command.type !== 'SoftExitCase'
  ) {
    if (command.type === 'RaiseTickler') return [];
    throw refuse(
      'R8',
      `the soft-exit deadline ${String(state.softExitDueOn)} has passed: the case is due to soft exit and accepts only the soft exit (${command.type} refused)`,
    );
  }
  softExitedCaseRefuses(command, state);

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
    case 'VoidContact':
      return voidContact(command, state, context);
    case 'CorrectEntry':
      return correctEntry(command, state, context);
    case 'EndPlannedGap':
      return endPlannedGap(command, state, context);
    case 'CorrectCustomerDetails':
      return correctCustomerDetails(command, state, context);
    case 'ReverseSoftExit':
      return reverseSoftExit(command, state, context);
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
  // R1 (one program group) and R2 (one case manager, one career center, one
  // local area) as values are the command's shape, parsed at the edge.
  const { caseId, program, careerCenterId, localAreaId, caseManagerId } = d;
  // R2 v2: only a configured local area; an unknown one never gets a default policy.
  const policy =
    context.policyOf(localAreaId) ??
    (context.policy.localAreaId === localAreaId ? context.policy : undefined);
  if (!policy)
    throw refuse(
      'R2',
      `unknown local area ${localAreaId}: no contact policy is configured for it`,
      ['localAreaId'],
    );
  const openedOn = requirePastDate(
    d.openedOn,
    'openedOn',
    context.today,
    null,
    policy.earliestDate,
  );
  actorMayChangeCenter(context.actor, careerCenterId);
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
        ...(d.duplicateReason !== undefined && { duplicateReason: d.duplicateReason }),
      },
    },
  ];
}

function enrollInActivity(
  command: EnrollInActivity,
  state: CaseState,
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const enrollmentId = requireNewId(
    d.enrollmentId,
    state.enrollments.map((e) => e.enrollmentId),
    'enrollmentId',
  );
  const { activityType, activityName } = d;
  const startDate = requirePastDate(
    d.startDate,
    'startDate',
    today,
    state.openedOn,
    policy.earliestDate,
  );
  if (d.endDate !== undefined) {
    const endDate = requirePlausibleDate(d.endDate, 'endDate', policy.earliestDate);
    requireOrdered(startDate, endDate, 'endDate');
    requireNotTooFarAhead(endDate, 'endDate', today, policy.maxPlannedDaysAhead);
  }
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
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const enrollment = state.enrollments.find((e) => e.enrollmentId === d.enrollmentId);
  if (!enrollment)
    throw notFound(`enrollment ${String(d.enrollmentId)} not found`, ['enrollmentId']);
  if (enrollment.endedOn !== undefined)
    throw refuse('CASE_STATUS', `enrollment ${enrollment.enrollmentId} already ended`);
  const endDate = requirePastDate(d.endDate, 'endDate', today, state.openedOn, policy.earliestDate);
  requireOrdered(enrollment.startDate, endDate, 'endDate');
  const { outcome } = d;
  // R3 v2: a recorded contact never loses the enrollment that justified it.
  const orphaned = contactsLosingJustification(state, enrollment.enrollmentId, endDate);
  if (orphaned.length > 0)
    throw refuse(
      'R3',
      `ending ${enrollment.enrollmentId} on ${endDate} would leave contact(s) ${orphaned.join(', ')} without an enrollment justifying them`,
      ['endDate'],
    );
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
  const { today, policy } = context;
  const contactId = requireNewId(
    d.contactId,
    state.contacts.map((c) => c.contactId),
    'contactId',
  );
  const { method, party, outcome } = d;
  const occurredOn = requirePastDate(
    d.occurredOn,
    'occurredOn',
    today,
    state.openedOn,
    policy.earliestDate,
  );
  methodAllowsOutcome(method, outcome);
  const kind = classifyContact(outcome);
  notesAreSubstantive(d, policy.minNoteLength, kind.qualifying);
  if (outcome === 'RESPONSE_RECEIVED') responseComesFromCustomer(party);
  else partyIsAllowed(d);

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

  // R19 v2: a follow-up needs no enrollment and never qualifies.
  if (d.followUp === true) {
    followUpContactIsValid(state, { reachedSomeone: kind.qualifying, occurredOn });
    const employment = state.employment;
    const followUp: FollowUpContactRecorded = {
      type: 'FollowUpContactRecorded',
      data: {
        ...fields,
        qualifying: false,
        followUp: true,
        verifiesEmployment:
          employment !== null &&
          employment.verifiedOn === undefined &&
          occurredOn >= employment.followUpDueOn,
      },
    };
    return [followUp];
  }

  requireActiveEnrollment(state, occurredOn);
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
      ...(outcome === 'RESPONSE_RECEIVED' && { answersOutreach: answers }),
    },
  };
  return [recorded];
}

function identifyBarrier(
  command: IdentifyBarrier,
  state: CaseState,
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const barrierId = requireNewId(
    d.barrierId,
    state.barriers.map((b) => b.barrierId),
    'barrierId',
  );
  const { category, description, plan } = d;
  const identifiedOn = requirePastDate(
    d.identifiedOn,
    'identifiedOn',
    today,
    state.openedOn,
    policy.earliestDate,
  );
  return [
    { type: 'BarrierIdentified', data: { barrierId, category, description, plan, identifiedOn } },
  ];
}

function overcomeBarrier(
  command: OvercomeBarrier,
  state: CaseState,
  { today, policy }: DecideContext,
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
  const { how } = d;
  const overcomeOn = requirePastDate(
    d.overcomeOn,
    'overcomeOn',
    today,
    state.openedOn,
    policy.earliestDate,
  );
  requireOrdered(barrier.identifiedOn, overcomeOn, 'overcomeOn');
  return [{ type: 'BarrierOvercome', data: { barrierId: barrier.barrierId, how, overcomeOn } }];
}

function schedulePlannedGap(
  command: SchedulePlannedGap,
  state: CaseState,
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const gapId = requireNewId(
    d.gapId,
    state.plannedGaps.map((g) => g.gapId),
    'gapId',
  );
  const { reason } = d;
  // 01-02 §1: a gap is planned, so its dates may lie ahead; never before the opening.
  const startDate = requireNotTooFarAhead(
    requireNotBeforeOpening(
      requirePlausibleDate(d.startDate, 'startDate', policy.earliestDate),
      'startDate',
      state.openedOn,
    ),
    'startDate',
    today,
    policy.maxPlannedDaysAhead,
  );
  const endDate = requireNotTooFarAhead(
    requirePlausibleDate(d.endDate, 'endDate', policy.earliestDate),
    'endDate',
    today,
    policy.maxPlannedDaysAhead,
  );
  requireOrdered(startDate, endDate, 'endDate', 'R10');
  // R10 v2: planned (entered by its start plus the allowance) and not longer than the maximum.
  gapIsPlanned({ startDate, endDate }, today, policy.gapEntryAllowanceDays, policy.maxGapDays);
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
  );
  const { statement } = d;
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
  const { status } = d;
  if (goal.status !== 'PENDING')
    throw refuse('R15', `goal ${goal.goalId} is already ${goal.status}`);
  return [{ type: 'GoalResolved', data: { goalId: goal.goalId, status } }];
}

function recordAssessment(
  command: RecordAssessment,
  state: CaseState,
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const assessmentId = requireNewId(
    d.assessmentId,
    state.assessments.map((a) => a.assessmentId),
    'assessmentId',
  );
  const { kind, summary } = d;
  const administeredOn = requirePastDate(
    d.administeredOn,
    'administeredOn',
    today,
    state.openedOn,
    policy.earliestDate,
  );
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
  { today, policy }: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const { job } = d;
  const startDate = requirePastDate(
    d.startDate,
    'startDate',
    today,
    state.openedOn,
    policy.earliestDate,
  );
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
  const { toCareerCenterId, toCaseManagerId, reason } = d;
  const toLocalAreaId = isNonEmptyText(d.toLocalAreaId) ? d.toLocalAreaId : state.localAreaId;
  const policy =
    context.policyOf(toLocalAreaId) ??
    (toLocalAreaId === context.policy.localAreaId ? context.policy : undefined);
  if (!policy)
    throw refuse('R2', `unknown local area ${toLocalAreaId}: no contact policy is configured`, [
      'toLocalAreaId',
    ]);
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

function suspendCase(command: SuspendCase, state: CaseState, context: DecideContext): CaseEvent[] {
  const { today } = context;
  // R16 v2: one pending closure request at a time.
  if (state.suspension !== null)
    throw refuse(
      'R16',
      `a suspension for closure (${state.suspension.reason}, ${state.suspension.suspendedOn}) already awaits review`,
    );
  const d = command.data;
  const { reason, details } = d;
  let job = d.job;
  switch (reason) {
    case 'EMPLOYMENT_ATTAINED':
      // R14: the job information, given here (its shape parsed at the edge) or recorded before.
      if (job === undefined && state.employment) job = state.employment.job;
      else if (job === undefined)
        throw invalid('R14', 'EMPLOYMENT_ATTAINED needs the job information', ['job']);
      break;
    case 'OTHER':
      requireText(d.details, 'details', 'R14');
      break;
    case 'NO_CONTACT_90_DAYS':
      noContactPeriodHasRun(state);
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
        suspendedBy: context.actor.staffId,
      },
    },
  ];
}

function pendingSuspension(state: CaseState, what: string) {
  if (state.suspension === null)
    throw refuse('R16', `${what} needs a pending suspension; none awaits review`);
  return state.suspension;
}

/** R16 v2: the reviewer is not the person who asked for the closure (maker-checker). */
function reviewerIsNotRequester(state: CaseState, context: DecideContext, what: string): void {
  const by = state.suspension?.suspendedBy ?? null;
  if (by !== null && by === context.actor.staffId)
    throw refuse('R16', `${what}: ${by} suspended this case and may not also review it`);
}

function approveSuspension(
  command: ApproveSuspension,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const suspension = pendingSuspension(state, 'ApproveSuspension');
  reviewerIsNotRequester(state, context, 'ApproveSuspension');
  const { note } = command.data;
  const rules = ['R14', 'R15', 'R16'];
  if (suspension.reason === 'EMPLOYMENT_ATTAINED') rules.push('R19');
  if (state.programExit !== null) rules.push('R17');
  const exitDate = state.programExit?.exitDate ?? (clockBase(state) as BusinessDate);
  const verifier = state.contacts.find((c) => c.verifiedEmployment === true && !c.voided);
  return [
    {
      type: 'CaseClosed',
      data: {
        reason: suspension.reason,
        closedOn: context.today,
        ...(note !== undefined && { note }),
        exitDate,
        rules,
        policy: decisionPolicy(state),
        suspension: {
          eventId: suspension.eventId,
          suspendedOn: suspension.suspendedOn,
          suspendedBy: suspension.suspendedBy,
        },
        approvedBy: context.actor.staffId,
        softExit: state.programExit
          ? { eventId: state.programExit.eventId, exitDate: state.programExit.exitDate }
          : null,
        employmentVerifiedBy:
          suspension.reason === 'EMPLOYMENT_ATTAINED' && verifier
            ? {
                contactId: verifier.contactId,
                eventId: verifier.eventId,
                occurredOn: verifier.occurredOn,
              }
            : null,
        exit: exitBasis(state, exitDate),
      },
    },
  ];
}

function returnSuspension(
  command: ReturnSuspension,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  pendingSuspension(state, 'ReturnSuspension');
  reviewerIsNotRequester(state, context, 'ReturnSuspension');
  const { requestedInformation } = command.data;
  return [
    { type: 'SuspensionReturned', data: { requestedInformation, returnedOn: context.today } },
  ];
}

/** The policy a decision applied, from the terms recorded in the stream. */
function decisionPolicy(state: CaseState): DecisionPolicy | null {
  const terms = state.policy;
  if (terms === null) return null;
  return {
    localAreaId: state.localAreaId,
    policyId: terms.policyId ?? state.localAreaId,
    version: terms.version ?? 1,
    terms: { ...terms },
  };
}

/**
 * R8/R10/R17: the facts an exit date rests on — the opening, the last
 * qualifying contact, the gaps that moved the deadline and the contacts after
 * it that did not count.
 */
export function exitBasis(state: CaseState, exitDate: BusinessDate): ExitBasis {
  const last = state.contacts.find(
    (c) => c.contactId === state.lastQualifyingContactId && c.voided === undefined,
  );
  const due = state.softExitDueOn ?? state.programExit?.dueOn ?? null;
  const gapsCounted: GapRef[] = [];
  if (due !== null)
    for (const g of state.plannedGaps) {
      const daysCounted = gapDaysWithin(exitDate, due, [g]);
      if (daysCounted > 0)
        gapsCounted.push({
          gapId: g.gapId,
          eventId: g.eventId ?? null,
          startDate: g.startDate,
          endDate: g.endDate,
          daysCounted,
        });
    }
  const notCounted: OutreachRef[] = state.contacts
    .filter((c) => c.occurredOn >= exitDate && c !== last && (!c.qualifying || c.voided))
    .map((c) => ({
      contactId: c.contactId,
      eventId: c.eventId ?? null,
      occurredOn: c.occurredOn,
      method: c.method,
      reason: c.voided ? 'VOIDED' : c.followUp ? 'FOLLOW_UP' : (c.reason ?? 'NO_ANSWER'),
    }));
  return {
    basis: last ? 'LAST_QUALIFYING_CONTACT' : 'OPENING',
    opening: { eventId: state.openedEventId ?? null, openedOn: state.openedOn as BusinessDate },
    lastQualifyingContact: last
      ? { contactId: last.contactId, eventId: last.eventId ?? null, occurredOn: last.occurredOn }
      : null,
    gapsCounted,
    notCounted,
  };
}

/** R17: the job only wakes the case; the deadline is judged here, from the state. */
function softExitCase(
  state: CaseState,
  { today }: DecideContext,
  trigger: CaseSoftExited['data']['trigger'] = 'DEADLINE_PASSED',
): CaseEvent[] {
  if (state.status !== 'ACTIVE' || !isPastDue(today, state.softExitDueOn)) return [];
  const exitDate = clockBase(state) as BusinessDate;
  const rules = ['R8', 'R17'];
  if (state.plannedGaps.length > 0) rules.push('R10');
  if (state.contacts.some((c) => !c.qualifying && !c.followUp)) rules.push('R5', 'R7');
  if (state.contacts.some((c) => c.voided)) rules.push('R22');
  const exited: CaseSoftExited = {
    type: 'CaseSoftExited',
    data: {
      exitDate,
      dueOn: state.softExitDueOn as BusinessDate,
      detectedOn: today,
      rules,
      trigger,
      policy: decisionPolicy(state),
      exit: exitBasis(state, exitDate),
    },
  };
  return [exited];
}

// ── R22 corrections ────────────────────────────────────────────────────────

function voidContact(command: VoidContact, state: CaseState, context: DecideContext): CaseEvent[] {
  const d = command.data;
  const contact = state.contacts.find((c) => c.contactId === d.contactId);
  if (!contact) throw notFound(`contact ${d.contactId} not found`, ['contactId']);
  if (contact.voided !== undefined)
    throw refuse(
      'R22',
      `contact ${contact.contactId} was already voided on ${contact.voided.voidedOn}`,
    );
  const { reason } = d;
  const voided: ContactVoided = {
    type: 'ContactVoided',
    data: {
      contactId: contact.contactId,
      reason,
      voidedOn: context.today,
      voidedBy: context.actor.staffId,
    },
  };
  // R22: if the deadline recomputed without it has passed, the case soft-exits,
  // dated at the qualifying contact before (or the opening).
  const after = evolve(state, voided);
  return [voided, ...softExitCase(after, context, 'CONTACT_VOIDED')];
}

/** R22: the fields each entry may have corrected (dates that move clocks have their own routes). */
const CORRECTABLE_FIELDS: Record<CorrectableEntity, readonly string[]> = {
  ENROLLMENT: ['activityName', 'providerName'],
  GAP: ['reason', 'note'],
  GOAL: ['statement', 'wageRangeDesired'],
  ASSESSMENT: ['instrument', 'score', 'summary'],
  BARRIER: ['category', 'description', 'plan'],
};

function correctEntry(
  command: CorrectEntry,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const { entity, reason, id } = d;
  const entry = entriesOf(state, entity).find((e) => e.id === id);
  if (!entry) throw notFound(`${entity} ${id} not found`, ['id']);
  const fields = d.fields;
  if (typeof fields !== 'object' || fields === null || Object.keys(fields).length === 0)
    throw invalid('R22', 'fields must name at least one field to correct', ['fields']);
  const allowed = CORRECTABLE_FIELDS[entity];
  const unknown = Object.keys(fields).filter((f) => !allowed.includes(f));
  if (unknown.length > 0)
    throw refuse(
      'R22',
      `${entity} fields that may be corrected: ${allowed.join(', ')}; not ${unknown.join(', ')}`,
      unknown.map((f) => `fields.${f}`),
    );
  const corrected = validateCorrection(entity, fields);
  const previous: Record<string, unknown> = {};
  for (const key of Object.keys(corrected)) previous[key] = entry.value[key] ?? null;
  if (
    Object.keys(corrected).every(
      (k) => JSON.stringify(previous[k]) === JSON.stringify(corrected[k]),
    )
  )
    throw refuse('R22', 'the correction changes nothing', ['fields']);
  return [
    {
      type: 'EntryCorrected',
      data: {
        entity,
        id,
        fields: corrected,
        previous,
        reason,
        correctedOn: context.today,
        correctedBy: context.actor.staffId,
      },
    },
  ];
}

function entriesOf(
  state: CaseState,
  entity: CorrectableEntity,
): Array<{ id: string; value: Record<string, unknown> }> {
  const wrap = <T extends object>(list: T[], key: keyof T) =>
    list.map((v) => ({ id: String(v[key]), value: v as Record<string, unknown> }));
  switch (entity) {
    case 'ENROLLMENT':
      return wrap(state.enrollments, 'enrollmentId');
    case 'GAP':
      return wrap(state.plannedGaps, 'gapId');
    case 'GOAL':
      return wrap(state.goals, 'goalId');
    case 'ASSESSMENT':
      return wrap(state.assessments, 'assessmentId');
    case 'BARRIER':
      return wrap(state.barriers, 'barrierId');
  }
}

function validateCorrection(
  entity: CorrectableEntity,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (entity === 'GAP' && key === 'reason')
      out[key] = requireOneOf(value, GAP_REASONS, 'fields.reason', 'R10');
    else if (entity === 'BARRIER' && key === 'category')
      out[key] = requireOneOf(value, BARRIER_CATEGORIES, 'fields.category', 'R11');
    else if (entity === 'GOAL' && key === 'wageRangeDesired') {
      const w = (value ?? {}) as { min?: unknown; max?: unknown };
      if (!(typeof w.min === 'number' && typeof w.max === 'number' && w.min >= 0 && w.min <= w.max))
        throw invalid('R15', 'wageRangeDesired needs 0 ≤ min ≤ max', ['fields.wageRangeDesired']);
      out[key] = { min: w.min, max: w.max };
    } else if (
      key === 'providerName' ||
      key === 'note' ||
      key === 'instrument' ||
      key === 'score'
    ) {
      if (typeof value !== 'string')
        throw invalid('R22', `fields.${key} must be text`, [`fields.${key}`]);
      out[key] = value;
    } else out[key] = requireText(value, `fields.${key}`, 'R22');
  }
  return out;
}

function endPlannedGap(
  command: EndPlannedGap,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const gap = state.plannedGaps.find((g) => g.gapId === d.gapId);
  if (!gap) throw notFound(`planned gap ${d.gapId} not found`, ['gapId']);
  const endDate = requireNotTooFarAhead(
    requirePlausibleDate(d.endDate, 'endDate', context.policy.earliestDate),
    'endDate',
    context.today,
    context.policy.maxPlannedDaysAhead,
  );
  // R10 v2: earlier than planned, never later, never before today, never before it starts.
  if (endDate >= gap.endDate)
    throw refuse('R10', `a gap ends early only: ${endDate} is not before its end ${gap.endDate}`, [
      'endDate',
    ]);
  if (endDate < context.today)
    throw refuse('R10', `a gap cannot be ended before today (${context.today})`, ['endDate']);
  if (endDate < gap.startDate)
    throw refuse('R10', `a gap cannot end before it starts (${gap.startDate})`, ['endDate']);
  return [
    {
      type: 'PlannedGapEnded',
      data: {
        gapId: gap.gapId,
        endDate,
        plannedEndDate: gap.plannedEndDate ?? gap.endDate,
        endedOn: context.today,
        ...(isNonEmptyText(d.reason) && { reason: d.reason }),
      },
    },
  ];
}

function correctCustomerDetails(
  command: CorrectCustomerDetails,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const d = command.data;
  const { reason } = d;
  const current = state.customer ?? { id: '', firstName: '', lastName: '' };
  const firstName = d.firstName ?? current.firstName;
  const lastName = d.lastName ?? current.lastName;
  if (firstName === current.firstName && lastName === current.lastName)
    throw refuse('R22', 'the correction changes nothing', ['firstName', 'lastName']);
  return [
    {
      type: 'CustomerDetailsCorrected',
      data: {
        firstName,
        lastName,
        previous: { firstName: current.firstName, lastName: current.lastName },
        reason,
        correctedOn: context.today,
        correctedBy: context.actor.staffId,
      },
    },
  ];
}

// ── R21 reversal ───────────────────────────────────────────────────────────

function reverseSoftExit(
  command: ReverseSoftExit,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  const exit = state.programExit;
  if (state.status !== 'SOFT_EXITED' || exit === null)
    throw refuse(
      'R21',
      `only a soft-exited case can have its exit reversed; it is ${state.status}`,
    );
  if (context.policy.lateEntryAfterSoftExit !== 'REVERSE_WITH_APPROVAL')
    throw refuse(
      'R21',
      `the policy of ${state.localAreaId} (${context.policy.policyId} v${context.policy.version}) refuses late entries after a soft exit`,
    );
  const { justification, contact } = command.data;
  if (contact.followUp === true)
    throw refuse('R21', 'a follow-up contact never reverses an exit (R19)', ['contact.followUp']);
  // The late contact is judged as it would have been before the exit (R3–R7),
  // and must be a service dated inside the 90 days (after the exit date, by the due date).
  const before: CaseState = { ...state, status: 'ACTIVE', softExitDueOn: null };
  const [recorded] = recordContact({ type: 'RecordContact', data: contact }, before, context);
  if (recorded.type !== 'ContactRecorded')
    throw refuse('R21', 'only a qualifying contact reverses a soft exit (R5, R7)', ['contact']);
  const on = recorded.data.occurredOn;
  if (!(on > exit.exitDate && on <= exit.dueOn))
    throw refuse(
      'R21',
      `the late contact must be dated after the exit date ${exit.exitDate} and by the deadline ${exit.dueOn}`,
      ['contact.occurredOn'],
    );
  const policy = decisionPolicy(state) as DecisionPolicy;
  const reversed: SoftExitReversed = {
    type: 'SoftExitReversed',
    data: {
      reversedExit: { ...exit },
      lateContactId: recorded.data.contactId,
      lateContactOn: on,
      justification,
      reversedOn: context.today,
      approvedBy: context.actor.staffId,
      rules: ['R21', 'R8', 'R17'],
      policy: {
        ...policy,
        policyId: context.policy.policyId,
        version: context.policy.version,
      },
    },
  };
  // The clock restarts from the late contact; if that deadline has passed too,
  // the case exits again, on the late contact's date (its true last day of service).
  const after = [reversed, recorded].reduce(evolve, state);
  return [reversed, recorded, ...softExitCase(after, context)];
}

/** R9, R19, R20: a passed tickler deadline is recorded once per due date; it refuses nothing. */
function raiseTickler(
  command: RaiseTickler,
  state: CaseState,
  { today }: DecideContext,
): CaseEvent[] {
  const { kind, dueOn } = command.data;
  const current = kind === 'CONTACT_DUE' ? state.contactDueOn : state.followUpDueOn;
  // R9 runs while the case is served; the follow-up (R19, R20) also after its exit.
  if (kind === 'CONTACT_DUE' && state.status !== 'ACTIVE') return [];
  if (current === null || current !== dueOn) return [];
  if (!isPastDue(today, current)) return [];
  if (state.ticklersRaised.some((t) => t.kind === kind && t.dueOn === dueOn)) return [];
  return [{ type: 'TicklerRaised', data: { kind, dueOn, raisedOn: today } }];
}
