import type { RuleId } from '../shared/errors';
import type { CaseCommand } from './case.commands';
import * as rules from './case.rules';
import * as deadlines from './deadlines';

/** A domain rule (DESIGN.md "The domain rules"): where it comes from and where it is checked. */
export interface CatalogueEntry {
  readonly id: RuleId;
  /** The seed document and paragraph the rule rests on (../shared/seeds). */
  readonly seed: string;
  /** The named checks in case.rules.ts / deadlines.ts that enforce or compute it. */
  readonly checks: readonly ((...args: never[]) => unknown)[];
  /** The commands whose decision applies it (checks inline in that decision included). */
  readonly commands: readonly CaseCommand['type'][];
  /** Whether it refuses commands (a DomainError names it); R5, R9, R20 only classify or flag. */
  readonly refuses: boolean;
}

const MO = '01-02 (Missouri DWD Issuance 01-02 Change 1)';
const MA = '04-34 (Massachusetts WIA Communication 04-34)';

/**
 * Rule id → seed paragraph → check function: the one place a newcomer finds
 * a rule's home. `case.rule-catalogue.spec.ts` proves every rule has a
 * decider spec and every refusing rule an e2e refusal.
 */
export const RULE_CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'R1',
    seed: `${MA} Policy: targeted groups`,
    // A value of the command (the `Program` union), parsed and refused under R1 at the edge.
    checks: [],
    commands: ['OpenCase'],
    refuses: true,
  },
  {
    id: 'R2',
    seed: `${MA}: the case manager, career center and local area`,
    checks: [],
    commands: ['OpenCase', 'TransferCase'],
    refuses: true,
  },
  {
    id: 'R3',
    seed: `${MO} §2: enrollment justifies continuing services`,
    checks: [rules.requireActiveEnrollment, rules.contactsLosingJustification],
    commands: ['RecordContact', 'EndEnrollment', 'CorrectEntry'],
    refuses: true,
  },
  {
    id: 'R4',
    seed: `${MO} §2: method, progress, justification`,
    checks: [rules.methodAllowsOutcome, rules.notesAreSubstantive],
    commands: ['RecordContact'],
    refuses: true,
  },
  {
    id: 'R5',
    seed: `${MO} §2.2: no answer, message left`,
    checks: [rules.classifyContact],
    commands: ['RecordContact'],
    refuses: false,
  },
  {
    id: 'R6',
    seed: `${MO} §2.1–2.3: customer, provider, alternate`,
    checks: [rules.partyIsAllowed],
    commands: ['RecordContact'],
    refuses: true,
  },
  {
    id: 'R7',
    seed: `${MO} §2.3: letters and e-mail`,
    checks: [rules.responseComesFromCustomer, rules.outreachAnsweredBy],
    commands: ['RecordContact'],
    refuses: true,
  },
  {
    id: 'R8',
    seed: `${MO} §2, §2.3: 90 days, entries prior to a soft exit`,
    checks: [rules.softExitNotDue, deadlines.isPastDue, deadlines.deriveDeadlines],
    commands: [
      'SoftExitCase',
      'RecordContact',
      'EnrollInActivity',
      'SchedulePlannedGap',
      'SuspendCase',
      'TransferCase',
    ],
    refuses: true,
  },
  {
    id: 'R9',
    seed: `${MO} §2; ${MA}: the 60-day standard, the tickler`,
    checks: [deadlines.deriveDeadlines],
    commands: ['RaiseTickler'],
    refuses: false,
  },
  {
    id: 'R10',
    seed: `${MO} §1: planned gaps`,
    checks: [rules.gapDoesNotOverlap, rules.gapIsPlanned, deadlines.gapDaysWithin],
    commands: ['SchedulePlannedGap', 'EndPlannedGap'],
    refuses: true,
  },
  {
    id: 'R11',
    seed: `${MA} chart: barriers`,
    checks: [],
    commands: ['IdentifyBarrier', 'OvercomeBarrier'],
    refuses: true,
  },
  {
    id: 'R12',
    seed: `${MA}: transfer between career centers`,
    checks: [rules.actorMayIssue],
    commands: ['TransferCase'],
    refuses: true,
  },
  {
    id: 'R13',
    seed: `${MA}: clearance, who changed what, need-to-know`,
    checks: [
      rules.actorMayIssue,
      rules.actorMayChangeCenter,
      rules.actorMayRead,
      rules.visibleCenters,
    ],
    commands: ['OpenCase'],
    refuses: true,
  },
  {
    id: 'R14',
    seed: `${MA} chart: closure reasons`,
    checks: [rules.noContactPeriodHasRun],
    commands: ['SuspendCase', 'ApproveSuspension'],
    refuses: true,
  },
  {
    id: 'R15',
    seed: `${MA} chart: no goal pending before suspension`,
    checks: [rules.noGoalPending],
    commands: ['SuspendCase', 'ResolveGoal'],
    refuses: true,
  },
  {
    id: 'R16',
    seed: `${MA} chart: two-step closure, maker-checker`,
    checks: [rules.actorMayIssue],
    commands: ['SuspendCase', 'ApproveSuspension', 'ReturnSuspension'],
    refuses: true,
  },
  {
    id: 'R17',
    seed: `${MO}; 20 CFR 677.150(c): the soft exit and after`,
    checks: [rules.closedCaseRefuses, rules.softExitedCaseRefuses, rules.softExitedCaseAccepts],
    commands: ['SoftExitCase'],
    refuses: true,
  },
  {
    id: 'R18',
    seed: `${MA} chart note: reading and math scores`,
    checks: [rules.trainingHasBasicSkillsScores],
    commands: ['EnrollInActivity'],
    refuses: true,
  },
  {
    id: 'R19',
    seed: `${MA} chart, Case Closure 1: follow-up after employment`,
    checks: [rules.followUpContactIsValid, rules.employmentVerified],
    commands: ['RecordContact', 'RecordEmployment', 'SuspendCase'],
    refuses: true,
  },
  {
    id: 'R20',
    seed: '20 CFR 681.460(a)(9): twelve months of follow-up',
    checks: [deadlines.followUpPeriodOf, deadlines.deriveDeadlines],
    commands: ['RaiseTickler'],
    refuses: false,
  },
  {
    id: 'R21',
    seed: `${MO} §2.3; state exit policies: late entries`,
    checks: [],
    commands: ['ReverseSoftExit'],
    refuses: true,
  },
  {
    id: 'R22',
    seed: `records practice; ${MA} "integrity of reporting"`,
    checks: [],
    commands: ['VoidContact', 'CorrectEntry', 'CorrectCustomerDetails'],
    refuses: true,
  },
];

export const catalogueEntry = (id: RuleId): CatalogueEntry | undefined =>
  RULE_CATALOGUE.find((entry) => entry.id === id);
