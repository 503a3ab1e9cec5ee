import { addDays, businessDate, toDayNumber, type BusinessDate } from '../shared/business-date';
import {
  DomainError,
  forbidden,
  invalid,
  refuse,
  type DomainErrorKind,
  type RuleId,
} from '../shared/errors';
import type { CaseCommand } from './case.commands';
import type { CaseState, Enrollment } from './case.state';
import { ROLES, type Actor, type ContactMethod, type ContactOutcome } from './case.vocabulary';
import { isPastDue } from './deadlines';

/**
 * The rulebook as small named checks (STYLE.md: business rules as small named
 * objects). Each throws a `DomainError` naming its rule id, or returns quietly.
 */

// ── input shape ────────────────────────────────────────────────────────────

/*
 * A command's shape (required fields, enum values, well-formed dates, ids) is
 * parsed at the edge that builds it: the HTTP request DTOs, the CLI, the
 * deadline jobs (from a typed kind and a state's date). Commands carry the
 * parsed types (`BusinessDate`, the vocabulary's unions), so `decide` judges
 * business rules only. What is left here reads free-form input that only the
 * domain can interpret (the fields of an R22 correction).
 */

export const isNonEmptyText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

export function requireText(
  value: unknown,
  field: string,
  ruleId: RuleId,
  kind: DomainErrorKind = 'validation',
): string {
  if (!isNonEmptyText(value)) throw new DomainError(ruleId, kind, `${field} is required`, [field]);
  return value;
}

export function requireOneOf<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  ruleId: RuleId,
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw invalid(ruleId, `${field} must be one of ${allowed.join(', ')}`, [field]);
  return value as T;
}

/** The id of a new entity is unused in the case (a retry with the same id is a conflict). */
export function requireNewId(id: string, taken: readonly string[], field: string): string {
  if (taken.includes(id))
    throw new DomainError('DUPLICATE_ID', 'conflict', `${field} ${id} already exists`, [field]);
  return id;
}

// ── business dates (DESIGN.md "Dates") ─────────────────────────────────────

/**
 * DESIGN.md "Dates" v2: the default plausible range starts here. The domain
 * checks a command's dates against its area's range itself (`earliestDate`,
 * today in the area's zone), so a date such as 0001-01-01 never becomes an
 * event even if the edge's range is wider.
 */
export const EARLIEST_PLAUSIBLE_DATE: BusinessDate = businessDate('1990-01-01');
/** DESIGN.md "Dates" v2: planned end dates lie at most two years ahead by default. */
export const MAX_PLANNED_DAYS_AHEAD = 730;

/** A date inside the policy's plausible range (its format was parsed at the edge). */
export function requirePlausibleDate(
  date: BusinessDate,
  field: string,
  earliest: BusinessDate = EARLIEST_PLAUSIBLE_DATE,
): BusinessDate {
  if (date < earliest)
    throw invalid('BUSINESS_DATE', `${field} ${date} is before the plausible range (${earliest})`, [
      field,
    ]);
  return date;
}

/** A date that has happened: not in the future, not before the case opened. */
export function requirePastDate(
  value: BusinessDate,
  field: string,
  today: BusinessDate,
  openedOn: BusinessDate | null,
  earliest: BusinessDate = EARLIEST_PLAUSIBLE_DATE,
): BusinessDate {
  const date = requirePlausibleDate(value, field, earliest);
  if (date > today) throw invalid('BUSINESS_DATE', `${field} ${date} is in the future`, [field]);
  return requireNotBeforeOpening(date, field, openedOn);
}

/** A planned date may lie ahead, at most the policy's limit (DESIGN.md "Dates" v2). */
export function requireNotTooFarAhead(
  date: BusinessDate,
  field: string,
  today: BusinessDate,
  maxDaysAhead: number = MAX_PLANNED_DAYS_AHEAD,
): BusinessDate {
  const limit = addDays(today, maxDaysAhead);
  if (date > limit)
    throw invalid(
      'BUSINESS_DATE',
      `${field} ${date} lies more than ${maxDaysAhead} days ahead (after ${limit})`,
      [field],
    );
  return date;
}

/**
 * A planned date (a planned gap, an enrollment's planned end): it may lie ahead,
 * but nothing of a case lies before its opening.
 */
export function requireNotBeforeOpening(
  date: BusinessDate,
  field: string,
  openedOn: BusinessDate | null,
): BusinessDate {
  if (openedOn !== null && date < openedOn)
    throw invalid('BUSINESS_DATE', `${field} ${date} is before the case opened on ${openedOn}`, [
      field,
    ]);
  return date;
}

export function requireOrdered(
  start: BusinessDate,
  end: BusinessDate,
  endField: string,
  ruleId: RuleId = 'BUSINESS_DATE',
): void {
  if (end < start) throw invalid(ruleId, `${endField} ${end} is before ${start}`, [endField]);
}

// ── who may do what (R13, R16, R12) ────────────────────────────────────────

const SYSTEM_COMMANDS: ReadonlySet<CaseCommand['type']> = new Set(['SoftExitCase', 'RaiseTickler']);
const REVIEW_COMMANDS: ReadonlySet<CaseCommand['type']> = new Set([
  'ApproveSuspension',
  'ReturnSuspension',
  // R21: a late entry that reverses a soft exit is recorded by a supervisor.
  'ReverseSoftExit',
]);

/** Checks that depend on the actor's role only (before the case is even read). */
export function actorMayIssue(actor: Actor, type: CaseCommand['type']): void {
  if (!(ROLES as readonly string[]).includes(actor.role))
    throw forbidden('R13', `unknown role ${String(actor.role)}`);
  // DESIGN.md "Roles": auditors read everything and write nothing.
  if (actor.role === 'auditor') throw forbidden('R13', 'an auditor may not change a case');
  // Scheduled jobs speak as the system actor; no person fires a soft exit or tickler.
  if (SYSTEM_COMMANDS.has(type) && actor.role !== 'admin')
    throw forbidden('R13', `${type} is issued by the system`);
  // R16: "an authorized manager will review the case and either close it or request more".
  if (REVIEW_COMMANDS.has(type) && actor.role !== 'supervisor' && actor.role !== 'admin')
    throw forbidden(type === 'ReverseSoftExit' ? 'R21' : 'R16', `${type} needs a supervisor`);
  if (type === 'TransferCase' && actor.role !== 'supervisor' && actor.role !== 'admin')
    throw forbidden('R12', 'a transfer needs a supervisor');
}

/** R13: staff outside the case's career center change it only with clearance. */
export function actorMayChangeCenter(actor: Actor, careerCenterId: string): void {
  if (actor.role === 'admin') return;
  if (actor.careerCenterId === careerCenterId) return;
  if (actor.clearances?.includes(careerCenterId)) return;
  throw forbidden(
    'R13',
    `staff of career center ${actor.careerCenterId} has no clearance for ${careerCenterId}`,
  );
}

// ── who may read what (R13 v2: need-to-know) ───────────────────────────────

/** R13 v2: auditors and admins read every case. */
export const readsAllCases = (actor: Pick<Actor, 'role'>): boolean =>
  actor.role === 'auditor' || actor.role === 'admin';

/** R13 v2: case managers and supervisors read their own center and the centers they are cleared for. */
export const centersReadableBy = (actor: Actor): string[] => [
  actor.careerCenterId,
  ...(actor.clearances ?? []),
];

/** The centers whose cases, listings and reports the actor reads; undefined: all. */
export const visibleCenters = (actor: Actor): readonly string[] | undefined =>
  readsAllCases(actor) ? undefined : centersReadableBy(actor);

/** R13 v2: refuses a read of `what` (a case, a caseload…) of a center the actor has no clearance for. */
export function actorMayRead(actor: Actor, careerCenterId: string, what = 'a case'): void {
  const visible = visibleCenters(actor);
  if (visible && !visible.includes(careerCenterId))
    throw forbidden(
      'R13',
      `staff of ${actor.careerCenterId} may not read ${what} of ${careerCenterId}`,
    );
}

// ── lifecycle ──────────────────────────────────────────────────────────────

/** R17 v2: CLOSED is the only terminal state; a soft-exited case stays open for follow-up and closure. */
export const isTerminal = (state: CaseState): boolean => state.status === 'CLOSED';

export function requireStatus(state: CaseState, status: CaseState['status'], what: string): void {
  if (state.status !== status)
    throw refuse('CASE_STATUS', `${what} needs a ${status} case; this case is ${state.status}`);
}

// ── R3 ─────────────────────────────────────────────────────────────────────

/** The enrollment runs on `date` (started, and neither ended nor past its planned end). */
export const enrollmentActiveOn = (e: Enrollment, date: BusinessDate): boolean =>
  e.startDate <= date && date <= (e.endedOn ?? e.endDate ?? '9999-12-31');

/**
 * R3 v2: a recorded qualifying contact never loses its justification. The
 * contacts that no enrollment would cover on their date if `enrollmentId`
 * ended on `endDate`.
 */
export function contactsLosingJustification(
  state: CaseState,
  enrollmentId: string,
  endDate: BusinessDate,
): string[] {
  const enrollments = state.enrollments.map((e) =>
    e.enrollmentId === enrollmentId ? { ...e, endedOn: endDate } : e,
  );
  return state.contacts
    .filter((c) => c.qualifying && c.voided === undefined && c.followUp !== true)
    .filter((c) => !enrollments.some((e) => enrollmentActiveOn(e, c.occurredOn)))
    .map((c) => c.contactId);
}

export function requireActiveEnrollment(state: CaseState, date: BusinessDate): void {
  if (!state.enrollments.some((e) => enrollmentActiveOn(e, date)))
    throw refuse(
      'R3',
      `no recognised activity is active on ${date}: the enrollment justifies continuing services`,
      ['occurredOn'],
    );
}

// ── R4, R5, R6, R7 ─────────────────────────────────────────────────────────

/** R4: the outcomes each contact method can have (01-02 §2.1–2.3). */
export const OUTCOMES_BY_METHOD: Readonly<Record<ContactMethod, readonly ContactOutcome[]>> = {
  IN_PERSON: ['REACHED'],
  TELEPHONE: ['REACHED', 'NO_ANSWER', 'MESSAGE_LEFT'],
  LETTER: ['SENT', 'RESPONSE_RECEIVED'],
  EMAIL: ['SENT', 'RESPONSE_RECEIVED'],
};

export function methodAllowsOutcome(method: ContactMethod, outcome: ContactOutcome): void {
  if (!OUTCOMES_BY_METHOD[method].includes(outcome))
    throw invalid('R4', `a ${method} contact cannot have the outcome ${outcome}`, ['outcome']);
}

/**
 * R4 v2: a contact that reached someone documents progress and justification,
 * both substantive; an attempt (no answer, message left, letter sent) needs
 * only a short note in either.
 */
export function notesAreSubstantive(
  notes: { progress: unknown; justification: unknown },
  minNoteLength: number,
  reachedSomeone = true,
): void {
  if (!reachedSomeone) {
    if (!isNonEmptyText(notes.progress) && !isNonEmptyText(notes.justification))
      throw refuse('R4', 'an attempt needs a short note (progress or justification)', ['progress']);
    return;
  }
  for (const field of ['progress', 'justification'] as const) {
    const text = notes[field];
    const length = typeof text === 'string' ? text.trim().length : 0;
    if (length < minNoteLength)
      throw refuse('R4', `${field} must be at least ${minNoteLength} characters of substance`, [
        field,
      ]);
  }
}

/**
 * What a contact counts as. R5: no answer / a message left is not sufficient.
 * R7: a letter or e-mail sent is outreach; the customer's response counts.
 */
export type ContactKind =
  | { qualifying: true }
  | { qualifying: false; reason: 'NO_ANSWER' | 'MESSAGE_LEFT' | 'OUTREACH_SENT' };

export function classifyContact(outcome: ContactOutcome): ContactKind {
  switch (outcome) {
    case 'NO_ANSWER':
    case 'MESSAGE_LEFT':
      return { qualifying: false, reason: outcome };
    case 'SENT':
      return { qualifying: false, reason: 'OUTREACH_SENT' };
    default:
      return { qualifying: true };
  }
}

/**
 * R6 v2 (01-02 §2.1–2.3): in person, the customer, the provider or an
 * alternate; by telephone, when the call reached someone, customer first, then
 * provider, then a knowledgeable alternate; letters and e-mails go to the
 * customer. An unanswered call is an attempt, whoever was called.
 */
export function partyIsAllowed(contact: {
  method: string;
  outcome: string;
  party: string;
  customerUnavailable?: boolean;
  providerUnavailable?: boolean;
  alternateHasSubstantiveKnowledge?: boolean;
}): void {
  if (contact.method === 'IN_PERSON') return;
  if (contact.method === 'LETTER' || contact.method === 'EMAIL') {
    if (contact.party !== 'CUSTOMER')
      throw refuse('R6', 'letters and e-mails are outreach to the customer (R7)', ['party']);
    return;
  }
  if (contact.outcome !== 'REACHED') return;
  if (contact.party === 'PROVIDER' && contact.customerUnavailable !== true)
    throw refuse('R6', 'the provider may be contacted only when the customer was not available', [
      'customerUnavailable',
    ]);
  if (
    contact.party === 'ALTERNATE' &&
    !(
      contact.customerUnavailable === true &&
      contact.providerUnavailable === true &&
      contact.alternateHasSubstantiveKnowledge === true
    )
  )
    throw refuse(
      'R6',
      'an alternate contact counts only when customer and provider were unavailable and the alternate has substantive knowledge of the progress',
      ['customerUnavailable', 'providerUnavailable', 'alternateHasSubstantiveKnowledge'],
    );
}

/** R7 (01-02 §2.3): a letter or e-mail counts only as the customer's own response. */
export function responseComesFromCustomer(party: string): void {
  if (party !== 'CUSTOMER')
    throw refuse('R7', 'a letter or e-mail response counts only when it comes from the customer', [
      'party',
    ]);
}

/** R7: the outreach a customer response answers (sent on or before it, still open). */
export const outreachAnsweredBy = (state: CaseState, occurredOn: BusinessDate): string[] =>
  state.contacts
    .filter((c) => c.awaitingResponse === true && c.occurredOn <= occurredOn)
    .map((c) => c.contactId);

// ── R8, R17 ────────────────────────────────────────────────────────────────

/** R8/R17: once the soft-exit deadline has passed the case is exiting; no entry revives it. */
export function softExitNotDue(state: CaseState, today: BusinessDate, what: string): void {
  if (state.status === 'ACTIVE' && isPastDue(today, state.softExitDueOn))
    throw refuse(
      'R8',
      `the soft-exit deadline ${String(state.softExitDueOn)} has passed: the case is due to soft exit, ${what} is not accepted`,
    );
}

/**
 * R17 v2: what a soft-exited case still accepts — follow-up contacts (R19,
 * R20), employment details, a barrier's outcome, corrections of customer
 * details and of follow-up contacts (R22), the closure with its review
 * (R14–R16; resolving a goal too, since R15 needs none pending), and the R21
 * reversal. Scheduled jobs are judged by their own decisions.
 */
export function softExitedCaseAccepts(command: CaseCommand, state: CaseState): boolean {
  switch (command.type) {
    case 'RecordContact':
      return command.data?.followUp === true;
    case 'VoidContact': {
      const target = state.contacts.find((c) => c.contactId === command.data?.contactId);
      return target === undefined || target.followUp === true;
    }
    case 'RecordEmployment':
    case 'OvercomeBarrier':
    case 'CorrectCustomerDetails':
    case 'SuspendCase':
    case 'ApproveSuspension':
    case 'ReturnSuspension':
    case 'ResolveGoal':
    case 'ReverseSoftExit':
    case 'SoftExitCase':
    case 'RaiseTickler':
      return true;
    default:
      return false;
  }
}

/**
 * R17 v2: a closed case accepts nothing. A late or duplicate job (soft exit,
 * tickler) is harmless: `'ignore'` tells `decide` to answer no events.
 */
export function closedCaseRefuses(command: CaseCommand, state: CaseState): 'ignore' | 'decide' {
  if (!isTerminal(state)) return 'decide';
  if (command.type === 'SoftExitCase' || command.type === 'RaiseTickler') return 'ignore';
  throw refuse('R17', `the case is CLOSED and accepts no further changes`);
}

/** R17 v2: a soft-exited case is no longer served; it takes only what `softExitedCaseAccepts` lists. */
export function softExitedCaseRefuses(command: CaseCommand, state: CaseState): void {
  if (state.status === 'SOFT_EXITED' && !softExitedCaseAccepts(command, state))
    throw refuse(
      'R17',
      `the case soft-exited on ${String(state.exitDate)} and is no longer served: ${command.type} is not accepted (only follow-up, employment, barrier outcomes, corrections and closure)`,
    );
}

// ── R10 ────────────────────────────────────────────────────────────────────

export function gapDoesNotOverlap(
  state: CaseState,
  gap: { startDate: BusinessDate; endDate: BusinessDate },
): void {
  const clash = state.plannedGaps.find(
    (g) => g.startDate <= gap.endDate && gap.startDate <= g.endDate,
  );
  if (clash)
    throw refuse(
      'R10',
      `the gap overlaps planned gap ${clash.gapId} (${clash.startDate}..${clash.endDate})`,
      ['startDate', 'endDate'],
    );
}

/** R10 v2: a gap is planned: entered by its start plus the allowance, and not too long. */
export function gapIsPlanned(
  gap: { startDate: BusinessDate; endDate: BusinessDate },
  today: BusinessDate,
  allowanceDays: number,
  maxGapDays: number,
): void {
  const latestEntry = addDays(gap.startDate, allowanceDays);
  if (today > latestEntry)
    throw refuse(
      'R10',
      `a planned gap starting ${gap.startDate} had to be scheduled by ${latestEntry} (${allowanceDays}-day data-entry allowance); it is not a planned gap`,
      ['startDate'],
    );
  const length = toDayNumber(gap.endDate) - toDayNumber(gap.startDate) + 1;
  if (length > maxGapDays)
    throw refuse('R10', `a planned gap lasts at most ${maxGapDays} days; this one is ${length}`, [
      'endDate',
    ]);
}

// ── R14, R15 ───────────────────────────────────────────────────────────────

/**
 * R14 v2 (04-34 Case Closure 4: "after the 90 day period following the … last
 * contact"): the customer ceased participating only once the case has
 * soft-exited; an approved gap or a running clock is not that.
 */
export function noContactPeriodHasRun(state: CaseState): void {
  if (state.status !== 'SOFT_EXITED')
    throw refuse(
      'R14',
      `NO_CONTACT_90_DAYS closes a case only once it has soft-exited; it is ${state.status}${state.softExitDueOn ? ` and soft exits after ${state.softExitDueOn}` : ''}`,
      ['reason'],
    );
}

export function noGoalPending(state: CaseState): void {
  const pending = state.goals.filter((g) => g.status === 'PENDING').map((g) => g.goalId);
  if (pending.length > 0)
    throw refuse('R15', `goals still PENDING: ${pending.join(', ')}; resolve them first`);
}

// ── R18 ────────────────────────────────────────────────────────────────────

const BASIC_SKILLS_PROGRAMS: ReadonlySet<string> = new Set([
  'WIOA_ADULT',
  'WIOA_DISLOCATED_WORKER',
]);

/**
 * R18 v2 (04-34 chart note 1): reading and math *scores*; the post-secondary
 * exemption counts only on a READING or MATH assessment.
 */
export function trainingHasBasicSkillsScores(state: CaseState, activityType: string): void {
  if (activityType !== 'TRAINING' || !BASIC_SKILLS_PROGRAMS.has(state.program ?? '')) return;
  if (
    state.assessments.some(
      (a) =>
        (a.kind === 'READING' || a.kind === 'MATH') && a.exemption === 'POST_SECONDARY_EDUCATION',
    )
  )
    return;
  const missing = (['READING', 'MATH'] as const).filter(
    (kind) => !state.assessments.some((a) => a.kind === kind && isNonEmptyText(a.score)),
  );
  if (missing.length > 0)
    throw refuse(
      'R18',
      `training for ${String(state.program)} needs ${missing.join(' and ')} scores recorded first (or a post-secondary exemption)`,
      ['activityType'],
    );
}

// ── R19 ────────────────────────────────────────────────────────────────────

/**
 * R19 v2: a follow-up contact is a service after employment or after the
 * program exit; it reached the customer (or provider / alternate per R6), and
 * is dated on or after the job start or the exit date.
 */
export function followUpContactIsValid(
  state: CaseState,
  contact: { reachedSomeone: boolean; occurredOn: BusinessDate },
): void {
  if (!contact.reachedSomeone)
    throw refuse(
      'R19',
      'a follow-up contact reached someone; record an unanswered call as an ordinary attempt',
      ['followUp'],
    );
  const starts = [state.employment?.startDate, state.programExit?.exitDate].filter(
    (d): d is BusinessDate => d !== undefined,
  );
  if (starts.length === 0)
    throw refuse(
      'R19',
      'a follow-up contact follows recorded employment or the program exit; neither is recorded',
      ['followUp'],
    );
  const from = starts.reduce((a, b) => (a <= b ? a : b));
  if (contact.occurredOn < from)
    throw refuse('R19', `a follow-up contact is dated on or after ${from} (job start or exit)`, [
      'occurredOn',
    ]);
}

export function employmentVerified(state: CaseState): void {
  if (state.employment?.verifiedOn === undefined)
    throw refuse(
      'R19',
      state.employment === null
        ? 'EMPLOYMENT_ATTAINED needs recorded employment and a verifying follow-up contact'
        : `EMPLOYMENT_ATTAINED needs a follow-up contact verifying the employment on or after ${state.employment.followUpDueOn}`,
      ['reason'],
    );
}
