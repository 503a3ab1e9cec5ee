import {
  SYSTEM_ACTOR,
  addDays,
  businessDateAt,
  clockBase,
  decide,
  defaultPolicy,
  evolve,
  initialCaseState,
  toDayNumber,
  upcastRecorded,
  type BusinessDate,
  type CaseEvent,
  type CaseState,
  type ContactPolicy,
  type LateEntryPolicy,
  type PolicyTerms,
  type SoftExitReversed,
} from '@caseledger/domain';
import { positionToString, type EventStore, type Position } from '@caseledger/event-store';
import { inScope } from './exit-report';
import { caseIdOfStream, compactEvent, scanLog, type ScanOptions } from './log-scan';
import type { PolicyOverrides, ReportScope, WhatIfParams } from './report-params';

/** Finds a local area's configured policy. */
export type PolicyOf = (localAreaId: string) => ContactPolicy | undefined;

/** The date an event is about: a fact's own date, a decision's "today". */
function dayOf(event: CaseEvent): BusinessDate | null {
  switch (event.type) {
    case 'CaseOpened':
      return event.data.openedOn;
    case 'ActivityEnrolled':
      return event.data.startDate;
    case 'ActivityEnded':
      return event.data.endDate;
    case 'ContactRecorded':
    case 'ContactAttempted':
    case 'FollowUpContactRecorded':
      return event.data.occurredOn;
    case 'BarrierIdentified':
      return event.data.identifiedOn;
    case 'BarrierOvercome':
      return event.data.overcomeOn;
    case 'PlannedGapScheduled':
      return event.data.startDate;
    case 'PlannedGapEnded':
      return event.data.endedOn;
    case 'AssessmentRecorded':
      return event.data.administeredOn;
    case 'EmploymentRecorded':
      return event.data.startDate;
    case 'CaseTransferred':
      return event.data.transferredOn;
    case 'CaseSuspended':
      return event.data.suspendedOn;
    case 'SuspensionReturned':
      return event.data.returnedOn;
    case 'CaseClosed':
      return event.data.closedOn;
    case 'CaseSoftExited':
      return event.data.detectedOn;
    case 'TicklerRaised':
      return event.data.raisedOn;
    case 'ContactVoided':
      return event.data.voidedOn;
    case 'EntryCorrected':
    case 'CustomerDetailsCorrected':
      return event.data.correctedOn;
    case 'SoftExitReversed':
      return event.data.reversedOn;
    default:
      return null;
  }
}

/**
 * R17 v2: what a soft-exited case still accepts (follow-up, employment, a
 * barrier's outcome, customer corrections, its closure); the rest would have
 * been refused, so a replay that exits earlier than the log drops it.
 */
function softExitedAccepts(event: CaseEvent): boolean {
  switch (event.type) {
    case 'FollowUpContactRecorded':
    case 'EmploymentRecorded':
    case 'BarrierOvercome':
    case 'CustomerDetailsCorrected':
    case 'CaseSuspended':
    case 'SuspensionReturned':
    case 'CaseClosed':
      return true;
    case 'ContactRecorded':
      return event.data.followUp === true;
    default:
      return false;
  }
}

/** The terms a replay uses instead of the ones the stream recorded (null: the recorded ones). */
export interface Terms {
  terms: (recorded: PolicyTerms, localAreaId: string) => PolicyTerms;
  lateEntry: (localAreaId: string) => LateEntryPolicy;
}

export function recordedTerms(policyOf: PolicyOf): Terms {
  return {
    terms: (recorded) => recorded,
    lateEntry: (area) => policyOf(area)?.lateEntryAfterSoftExit ?? 'REFUSE',
  };
}

/**
 * The overridden terms: another policy whole (`policyId`), then single terms
 * on top. R9: the contact standard never exceeds the soft-exit window, so a
 * shorter window shortens it too.
 */
export function overriddenTerms(
  overrides: PolicyOverrides,
  policy: ContactPolicy | undefined,
  policyOf: PolicyOf,
): Terms {
  return {
    terms: (recorded) => {
      const base: PolicyTerms = policy
        ? {
            policyId: policy.policyId,
            version: policy.version,
            contactIntervalDays: policy.contactIntervalDays,
            softExitWindowDays: policy.softExitWindowDays,
            followUpPeriodDays: policy.followUpPeriodDays,
            followUpMonths: policy.followUpMonths,
            followUpEveryDays: policy.followUpEveryDays,
          }
        : { ...recorded };
      const softExitWindowDays = overrides.softExitAfterDays ?? base.softExitWindowDays;
      const contactIntervalDays = Math.min(
        overrides.contactIntervalDays ?? base.contactIntervalDays,
        softExitWindowDays,
      );
      return { ...base, softExitWindowDays, contactIntervalDays };
    },
    lateEntry: (area) =>
      overrides.lateEntryAfterSoftExit ??
      policy?.lateEntryAfterSoftExit ??
      policyOf(area)?.lateEntryAfterSoftExit ??
      'REFUSE',
  };
}

/** What a replay says happened to a case. */
export interface ReplayOutcome {
  exited: boolean;
  exitDate: BusinessDate | null;
  /** R9: days the case was past its contact-due date without a qualifying contact, inside the period. */
  contactOverdueDays: number;
  /** R9: CONTACT_DUE ticklers (their due dates) raised inside the period. */
  ticklers: BusinessDate[];
}

/**
 * One case replayed event by event under given terms, on the calendar of its
 * own dates: before each fact the deadlines are judged on that fact's date by
 * the domain's own `decide` (SoftExitCase, RaiseTickler: the jobs fire on
 * time, the day after the deadline), and the fact is applied with `evolve`,
 * or dropped where the replayed case could no longer accept it (R17 v2). The
 * log's own decisions (soft exits, ticklers) are only wake-ups: the replay
 * takes its own. Reads nothing, writes nothing.
 */
export class CaseReplay {
  state: CaseState = initialCaseState();
  private overdue = 0;
  private readonly raised: BusinessDate[] = [];
  private refusedContact: string | null = null;

  constructor(
    private readonly terms: Terms,
    private readonly policyOf: PolicyOf,
    private readonly period: { from: BusinessDate; to: BusinessDate },
  ) {}

  private context(today: BusinessDate) {
    const area = this.state.localAreaId;
    const policy: ContactPolicy = {
      ...(this.policyOf(area) ?? defaultPolicy(area)),
      lateEntryAfterSoftExit: this.terms.lateEntry(area),
    };
    return { policy, policyOf: this.policyOf, today, actor: SYSTEM_ACTOR };
  }

  /** R9: overdue days between the day after `due` and the day before `until` (inclusive), inside the period. */
  private countOverdue(due: BusinessDate | null, until: BusinessDate): void {
    if (due === null) return;
    const start = Math.max(toDayNumber(due) + 1, toDayNumber(this.period.from));
    const end = Math.min(toDayNumber(until) - 1, toDayNumber(this.period.to));
    if (end >= start) this.overdue += end - start + 1;
  }

  private apply(event: CaseEvent, day: BusinessDate): void {
    const before = this.state.contactDueOn;
    this.state = evolve(this.state, event);
    if (this.state.contactDueOn !== before) this.countOverdue(before, day);
  }

  /** Time passes up to `day`: ticklers and the soft exit that fell due before it (R9, R8, R17). */
  catchUp(day: BusinessDate): void {
    for (let guard = 0; guard < 4 && this.state.status === 'ACTIVE'; guard += 1) {
      const { contactDueOn, softExitDueOn } = this.state;
      const ticklerDue =
        contactDueOn !== null &&
        contactDueOn < day &&
        !this.state.ticklersRaised.some(
          (t) => t.kind === 'CONTACT_DUE' && t.dueOn === contactDueOn,
        );
      if (ticklerDue && contactDueOn !== null) {
        const today = addDays(contactDueOn, 1);
        const events = decide(
          { type: 'RaiseTickler', data: { kind: 'CONTACT_DUE', dueOn: contactDueOn } },
          this.state,
          this.context(today),
        );
        for (const e of events) {
          this.apply(e, today);
          if (
            e.type === 'TicklerRaised' &&
            e.data.dueOn >= this.period.from &&
            e.data.dueOn <= this.period.to
          )
            this.raised.push(e.data.dueOn);
        }
        if (events.length > 0) continue;
      }
      if (softExitDueOn !== null && softExitDueOn < day) {
        const today = addDays(softExitDueOn, 1);
        const events = decide({ type: 'SoftExitCase', data: {} }, this.state, this.context(today));
        for (const e of events) this.apply(e, today);
        if (events.length > 0) continue;
      }
      break;
    }
  }

  feed(recorded: CaseEvent): void {
    let event = recorded;
    if (event.type === 'CaseOpened' || event.type === 'CaseTransferred') {
      const area = event.type === 'CaseOpened' ? event.data.localAreaId : event.data.to.localAreaId;
      event = {
        ...event,
        data: { ...event.data, policy: this.terms.terms(event.data.policy, area) },
      } as CaseEvent;
    }
    const day = dayOf(event);
    if (this.state.status === 'CLOSED') return;
    if (event.type === 'CaseSoftExited' || event.type === 'TicklerRaised') {
      // A job woke the case: the replay judges by its own deadlines.
      if (day !== null) this.catchUp(day);
      return;
    }
    if (event.type === 'SoftExitReversed') {
      this.reverse(event);
      return;
    }
    if (day !== null) this.catchUp(day);
    if (event.type === 'ContactRecorded' && event.data.contactId === this.refusedContact) {
      this.refusedContact = null;
      return;
    }
    if (this.state.status === 'SOFT_EXITED' && !softExitedAccepts(event)) return;
    if (event.type === 'CaseClosed') {
      // R14 v2: the closure records the program exit date the replayed case has.
      const exitDate = this.state.programExit?.exitDate ?? clockBase(this.state);
      event = { ...event, data: { ...event.data, exitDate } };
    }
    this.apply(event, day ?? this.state.openedOn ?? this.period.from);
  }

  /**
   * R21: a late contact reverses the replayed exit only where the replayed
   * terms allow it and the contact lies after that exit's date, by its deadline.
   */
  private reverse(event: SoftExitReversed): void {
    const exit = this.state.programExit;
    const area = this.state.localAreaId;
    const on = event.data.lateContactOn;
    if (this.state.status !== 'SOFT_EXITED' || exit === null) return; // still served: the contact just counts
    if (
      this.terms.lateEntry(area) !== 'REVERSE_WITH_APPROVAL' ||
      !(on > exit.exitDate && on <= exit.dueOn)
    ) {
      this.refusedContact = event.data.lateContactId;
      return;
    }
    this.apply(
      { ...event, data: { ...event.data, reversedExit: { ...exit } } },
      event.data.reversedOn,
    );
  }

  /** The replay at the horizon (the period's end, never after the log's last day). */
  finish(horizon: BusinessDate): ReplayOutcome {
    this.catchUp(horizon);
    if (this.state.status === 'ACTIVE')
      this.countOverdue(this.state.contactDueOn, addDays(horizon, 1));
    const exitDate =
      this.state.status === 'SOFT_EXITED' || this.state.status === 'CLOSED'
        ? this.state.exitDate
        : null;
    return {
      exited: exitDate !== null,
      exitDate,
      contactOverdueDays: this.overdue,
      ticklers: [...this.raised],
    };
  }
}

/**
 * The events a replay's outcome (exit, exit date, contact-overdue days,
 * CONTACT_DUE ticklers) can depend on: the terms (CaseOpened, CaseTransferred),
 * the clocks' facts (R8/R9 qualifying contacts, R22 voids and corrections,
 * R10 gaps), the closure (R14), the log's own decisions as wake-ups (R17, R9)
 * and R21 reversals. Deadlines only move on these, and a deadline judged
 * later gives the same decision (the jobs fire the day after it), so the
 * other events are skipped before upcasting.
 */
export const REPLAY_FACTS: ReadonlySet<string> = new Set([
  'CaseOpened',
  'CaseTransferred',
  'ContactRecorded',
  'ContactVoided',
  'EntryCorrected',
  'PlannedGapScheduled',
  'PlannedGapEnded',
  'CaseClosed',
  'CaseSoftExited',
  'TicklerRaised',
  'SoftExitReversed',
]);

export interface WhatIfCaseView extends ReplayOutcome {
  /** The exit date when it lies inside the period (what the period's report would show). */
  exitInPeriod: BusinessDate | null;
}

export type WhatIfDifferenceKind = 'exit' | 'exitDate' | 'contactOverdueDays' | 'ticklers';

export interface WhatIfDifference {
  caseId: string;
  program: string;
  careerCenterId: string;
  localAreaId: string;
  differs: WhatIfDifferenceKind[];
  /** Replayed under the terms the case's stream recorded. */
  asRecorded: WhatIfCaseView;
  /** Replayed under the overridden terms. */
  whatIf: WhatIfCaseView;
}

export interface WhatIfTotals {
  cases: number;
  casesWithDifferences: number;
  exits: { asRecorded: number; whatIf: number };
  exitsAdded: number;
  exitsRemoved: number;
  exitDatesMoved: number;
  contactOverdueDays: { asRecorded: number; whatIf: number };
  ticklers: { asRecorded: number; whatIf: number };
}

export interface WhatIfHeader {
  report: 'what-if';
  version: 1;
  parameters: {
    from: BusinessDate;
    to: BusinessDate;
    careerCenterId?: string;
    policyOverrides: PolicyOverrides;
    scope: readonly string[] | 'ALL';
  };
  /** The store position the replay is pinned to (pass it as atPosition to repeat it). */
  position: string;
}

export interface WhatIfResult extends WhatIfHeader {
  differences: WhatIfDifference[];
  totals: WhatIfTotals;
}

const view = (
  o: ReplayOutcome,
  period: { from: BusinessDate; to: BusinessDate },
): WhatIfCaseView => ({
  ...o,
  exitInPeriod:
    o.exitDate !== null && o.exitDate >= period.from && o.exitDate <= period.to ? o.exitDate : null,
});

/** What differs between two replays of one case, judged inside the period. */
export function differencesOf(a: WhatIfCaseView, b: WhatIfCaseView): WhatIfDifferenceKind[] {
  const kinds: WhatIfDifferenceKind[] = [];
  if ((a.exitInPeriod === null) !== (b.exitInPeriod === null)) kinds.push('exit');
  else if (a.exitInPeriod !== b.exitInPeriod) kinds.push('exitDate');
  if (a.contactOverdueDays !== b.contactOverdueDays) kinds.push('contactOverdueDays');
  if (a.ticklers.join() !== b.ticklers.join()) kinds.push('ticklers');
  return kinds;
}

export interface WhatIfOptions extends ScanOptions {
  /** Called once the log is read, before the comparison. */
  onScanned?: (cases: number) => void;
}

/**
 * R8/R9/R17/R21 what-if: every case in scope replayed twice from the log up
 * to `position` — under the terms its stream recorded and under the
 * overridden ones — through the domain's own `decide` and `evolve`. Writes
 * nothing. The horizon is the period's end, or the log's last day if earlier.
 */
export async function runWhatIf(
  store: EventStore,
  params: WhatIfParams,
  scope: ReportScope,
  position: Position,
  policyOf: PolicyOf,
  options: WhatIfOptions = {},
): Promise<WhatIfResult> {
  const period = { from: params.from, to: params.to };
  const asRecorded = recordedTerms(policyOf);
  const whatIf = overriddenTerms(params.policyOverrides, params.policy, policyOf);
  const replays = new Map<string, [CaseReplay, CaseReplay]>();
  let lastRecordedAt: string | undefined;
  await scanLog(
    store,
    position,
    (recorded) => {
      lastRecordedAt = recorded.metadata.recordedAt;
      if (!REPLAY_FACTS.has(recorded.type)) return;
      const caseId = caseIdOfStream(recorded.streamId);
      if (caseId === undefined) return;
      let pair = replays.get(caseId);
      if (!pair) {
        pair = [
          new CaseReplay(asRecorded, policyOf, period),
          new CaseReplay(whatIf, policyOf, period),
        ];
        replays.set(caseId, pair);
      }
      const event = compactEvent(upcastRecorded(recorded));
      pair[0].feed(event);
      pair[1].feed(event);
    },
    options,
  );
  options.onScanned?.(replays.size);
  const differences: WhatIfDifference[] = [];
  const totals: WhatIfTotals = {
    cases: 0,
    casesWithDifferences: 0,
    exits: { asRecorded: 0, whatIf: 0 },
    exitsAdded: 0,
    exitsRemoved: 0,
    exitDatesMoved: 0,
    contactOverdueDays: { asRecorded: 0, whatIf: 0 },
    ticklers: { asRecorded: 0, whatIf: 0 },
  };
  const ids = [...replays.keys()].sort();
  for (const caseId of ids) {
    const [base, alt] = replays.get(caseId)!;
    replays.delete(caseId);
    const state = base.state;
    if (state.status === 'NONE' || state.openedOn === null || state.openedOn > params.to) continue;
    if (!inScope(state, scope, params.careerCenterId)) continue;
    const zone = policyOf(state.localAreaId)?.timeZone ?? 'UTC';
    const lastDay = lastRecordedAt ? businessDateAt(new Date(lastRecordedAt), zone) : params.to;
    const horizon = lastDay < params.to ? lastDay : params.to;
    const a = view(base.finish(horizon), period);
    const b = view(alt.finish(horizon), period);
    totals.cases += 1;
    if (a.exitInPeriod) totals.exits.asRecorded += 1;
    if (b.exitInPeriod) totals.exits.whatIf += 1;
    totals.contactOverdueDays.asRecorded += a.contactOverdueDays;
    totals.contactOverdueDays.whatIf += b.contactOverdueDays;
    totals.ticklers.asRecorded += a.ticklers.length;
    totals.ticklers.whatIf += b.ticklers.length;
    const differs = differencesOf(a, b);
    if (differs.length === 0) continue;
    totals.casesWithDifferences += 1;
    if (differs.includes('exit')) {
      if (b.exitInPeriod) totals.exitsAdded += 1;
      else totals.exitsRemoved += 1;
    }
    if (differs.includes('exitDate')) totals.exitDatesMoved += 1;
    differences.push({
      caseId,
      program: state.program ?? '',
      careerCenterId: state.careerCenterId,
      localAreaId: state.localAreaId,
      differs,
      asRecorded: a,
      whatIf: b,
    });
  }
  return {
    report: 'what-if',
    version: 1,
    parameters: {
      from: params.from,
      to: params.to,
      ...(params.careerCenterId !== undefined ? { careerCenterId: params.careerCenterId } : {}),
      policyOverrides: params.policyOverrides,
      scope: scope.centers ?? 'ALL',
    },
    position: positionToString(position),
    differences,
    totals,
  };
}

/** The answer as JSON text pieces: header, one difference at a time, totals (for streaming). */
export function* whatIfJsonChunks(result: WhatIfResult): Generator<string> {
  const { differences, totals, ...header } = result;
  yield `${JSON.stringify(header).slice(0, -1)},"differences":[`;
  let first = true;
  for (const d of differences) {
    yield `${first ? '' : ','}\n${JSON.stringify(d)}`;
    first = false;
  }
  yield `\n],"totals":${JSON.stringify(totals)}}\n`;
}
