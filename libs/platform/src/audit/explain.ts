import {
  gapDaysWithin,
  isBusinessDate,
  upcastRecorded,
  type BusinessDate,
  type CaseState,
} from '@caseledger/domain';
import type { RecordedEvent } from '@caseledger/event-store';
import { foldRecorded } from '../executor/domain-bridge';

/**
 * Why a case stands where it does (DESIGN.md "Additions": explain): each
 * deadline and any exit or closure with its rule ids, the policy terms it was
 * computed under and the events it rests on, as data and as plain sentences.
 * The dates are the domain's own (`evolve` computed them); this only names
 * their causes, reading the events as stored, so the explanation of a case
 * as of a date is the one it had then.
 */
export interface ExplainedEvent {
  eventId: string;
  revision: number;
  type: string;
  recordedAt: string;
}

export interface ExplainedPolicy {
  policyId: string;
  version: number | null;
  localAreaId: string;
  terms: Record<string, unknown>;
  /** The event that copied these terms into the case (CaseOpened or CaseTransferred). */
  setBy: ExplainedEvent | null;
}

export interface ExplainedGap {
  gapId: string;
  startDate: BusinessDate;
  endDate: BusinessDate;
  reason: string;
  /** Days of this gap inside the deadline's window (each adds a day, R10). */
  daysCounted: number;
  event: ExplainedEvent | null;
}

export interface ExplainedDeadline {
  kind: 'contactDueOn' | 'softExitDueOn' | 'followUpDueOn';
  dueOn: BusinessDate;
  ruleIds: string[];
  /** The date the clock counts from and why. */
  countsFrom: {
    date: BusinessDate;
    what: 'LAST_QUALIFYING_CONTACT' | 'OPENED' | 'EMPLOYMENT_START';
  };
  days: number | null;
  gapsCounted: ExplainedGap[];
  restsOn: ExplainedEvent[];
  sentence: string;
}

export interface NotCounted {
  event: ExplainedEvent;
  occurredOn: BusinessDate | null;
  ruleId: string;
  why: string;
}

export interface ExplainedOutcome {
  kind: 'SOFT_EXIT' | 'CLOSURE';
  ruleIds: string[];
  event: ExplainedEvent;
  exitDate: BusinessDate | null;
  /** CaseSoftExited: the deadline that passed and the day it was detected; CaseClosed: the approval. */
  details: Record<string, unknown>;
  restsOn: ExplainedEvent[];
  sentence: string;
}

export interface CaseExplanation {
  caseId: string;
  revision: number;
  asOf?: string;
  status: string;
  policy: ExplainedPolicy | null;
  lastQualifyingContact: { date: BusinessDate; event: ExplainedEvent | null } | null;
  deadlines: ExplainedDeadline[];
  notCounted: NotCounted[];
  exit: ExplainedOutcome | null;
  closure: ExplainedOutcome | null;
  sentences: string[];
}

const ref = (e: RecordedEvent): ExplainedEvent => ({
  eventId: e.eventId,
  revision: e.revision,
  type: e.type,
  recordedAt: e.metadata.recordedAt,
});

type Data = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A date of an event as stored (the store holds what `decide` wrote). */
const dateOf = (v: unknown): BusinessDate | undefined => (isBusinessDate(v) ? v : undefined);

/**
 * The event ids a v2 decision event names (its `exit` basis: opening, last
 * qualifying contact, gaps counted, contacts that did not count; a closure's
 * suspension, soft exit and verifying follow-up), in that order.
 */
function decisionEventIds(d: Data): string[] {
  const ids: unknown[] = [];
  const exit = (d.exit ?? null) as Data | null;
  if (exit) {
    ids.push((exit.opening as Data | undefined)?.eventId);
    ids.push((exit.lastQualifyingContact as Data | null | undefined)?.eventId);
    for (const g of (Array.isArray(exit.gapsCounted) ? exit.gapsCounted : []) as Data[])
      ids.push(g.eventId);
    for (const c of (Array.isArray(exit.notCounted) ? exit.notCounted : []) as Data[])
      ids.push(c.eventId);
  }
  ids.push((d.suspension as Data | null | undefined)?.eventId);
  ids.push((d.softExit as Data | null | undefined)?.eventId);
  ids.push((d.employmentVerifiedBy as Data | null | undefined)?.eventId);
  if (Array.isArray(d.restsOn)) ids.push(...(d.restsOn as unknown[]));
  return [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
}

const NOT_COUNTED_WHY: Record<string, [string, string]> = {
  NO_ANSWER: ['R5', 'a telephone call with no answer is recorded but is not a contact'],
  MESSAGE_LEFT: ['R5', 'a message left is recorded but is not a contact'],
  OUTREACH_SENT: [
    'R7',
    "a letter or e-mail sent counts only once the customer's response is entered, before the soft exit",
  ],
};

export function explainCase(
  caseId: string,
  events: readonly RecordedEvent[],
  asOf?: Date,
): CaseExplanation {
  const state: CaseState = foldRecorded(events);
  const domain = events.map((e) => ({ recorded: e, event: upcastRecorded(e) }));
  const data = (i: number): Data => (domain[i].event.data ?? {}) as Data;

  // Events by the ids the state refers to.
  const contactEvents = new Map<string, RecordedEvent>();
  const gapEvents = new Map<string, RecordedEvent>();
  const voided = new Set<string>();
  let policyEvent: RecordedEvent | null = null;
  let employmentEvent: RecordedEvent | null = null;
  let openedEvent: RecordedEvent | null = null;
  let exitEvent: number | null = null;
  let closeEvent: number | null = null;
  let suspendEvent: RecordedEvent | null = null;
  domain.forEach(({ recorded, event }, i) => {
    const d = data(i);
    switch (event.type as string) {
      case 'CaseOpened':
        openedEvent = recorded;
        policyEvent = recorded;
        break;
      case 'CaseTransferred':
        policyEvent = recorded;
        break;
      case 'ContactRecorded':
      case 'ContactAttempted':
        if (str(d.contactId)) contactEvents.set(d.contactId as string, recorded);
        break;
      case 'ContactVoided':
        if (str(d.contactId)) voided.add(d.contactId as string);
        break;
      case 'PlannedGapScheduled':
        if (str(d.gapId)) gapEvents.set(d.gapId as string, recorded);
        break;
      case 'EmploymentRecorded':
        employmentEvent = recorded;
        break;
      case 'CaseSuspended':
        suspendEvent = recorded;
        break;
      case 'CaseSoftExited':
        exitEvent = i;
        break;
      case 'SoftExitReversed':
        exitEvent = null;
        break;
      case 'CaseClosed':
        closeEvent = i;
        break;
    }
  });

  const terms = (state.policy ?? null) as Record<string, unknown> | null;
  const policy: ExplainedPolicy | null = terms
    ? {
        policyId: str(terms.policyId) ?? state.localAreaId,
        version: typeof terms.version === 'number' ? terms.version : null,
        localAreaId: state.localAreaId,
        terms,
        setBy: policyEvent ? ref(policyEvent) : null,
      }
    : null;
  const policyName = policy
    ? `policy ${policy.policyId}${policy.version !== null ? ` version ${policy.version}` : ''}`
    : 'the policy';

  const lastQualifyingContactOn = state.lastQualifyingContactOn;
  const lastContact = lastQualifyingContactOn
    ? [...state.contacts]
        .reverse()
        .find(
          (c) =>
            c.qualifying &&
            c.followUp !== true &&
            c.occurredOn === lastQualifyingContactOn &&
            !voided.has(c.contactId),
        )
    : undefined;
  const lastContactEvent = lastContact ? (contactEvents.get(lastContact.contactId) ?? null) : null;
  const base: BusinessDate | null = lastQualifyingContactOn ?? state.openedOn;
  const baseWhat = lastQualifyingContactOn ? 'LAST_QUALIFYING_CONTACT' : 'OPENED';
  const baseEvent = lastQualifyingContactOn ? lastContactEvent : openedEvent;
  const baseText = lastQualifyingContactOn
    ? `the last qualifying contact on ${lastQualifyingContactOn}`
    : `the opening of the case on ${state.openedOn ?? '?'} (no qualifying contact yet)`;

  const gapsWithin = (due: BusinessDate): ExplainedGap[] =>
    base === null
      ? []
      : state.plannedGaps
          .map((g) => ({
            gapId: g.gapId,
            startDate: g.startDate,
            endDate: g.endDate,
            reason: g.reason,
            daysCounted: gapDaysWithin(base, due, [g]),
            event: gapEvents.has(g.gapId) ? ref(gapEvents.get(g.gapId)!) : null,
          }))
          .filter((g) => g.daysCounted > 0);
  const gapText = (gaps: ExplainedGap[]): string =>
    gaps.length === 0
      ? ''
      : `, plus ${gaps.reduce((n, g) => n + g.daysCounted, 0)} day(s) of planned gaps (${gaps
          .map((g) => `${g.startDate} to ${g.endDate}, ${g.reason}`)
          .join('; ')}) that do not count (R10)`;

  const deadlines: ExplainedDeadline[] = [];
  const num = (key: string): number | null =>
    terms && typeof terms[key] === 'number' ? terms[key] : null;
  if (state.softExitDueOn && base) {
    const gaps = gapsWithin(state.softExitDueOn);
    const days = num('softExitWindowDays');
    deadlines.push({
      kind: 'softExitDueOn',
      dueOn: state.softExitDueOn,
      ruleIds: gaps.length ? ['R8', 'R10', 'R17'] : ['R8', 'R17'],
      countsFrom: { date: base, what: baseWhat },
      days,
      gapsCounted: gaps,
      restsOn: [
        ...(baseEvent ? [ref(baseEvent)] : []),
        ...gaps.flatMap((g) => (g.event ? [g.event] : [])),
      ],
      sentence: `The case soft-exits if no qualifying contact is entered by ${state.softExitDueOn}: ${days ?? '?'} days after ${baseText}${gapText(gaps)}, under ${policyName} (R8). An entry on ${state.softExitDueOn} is on time; the exit would be dated ${base} (R17).`,
    });
  }
  if (state.contactDueOn && base) {
    const gaps = gapsWithin(state.contactDueOn);
    const days = num('contactIntervalDays');
    deadlines.push({
      kind: 'contactDueOn',
      dueOn: state.contactDueOn,
      ruleIds: gaps.length ? ['R9', 'R10'] : ['R9'],
      countsFrom: { date: base, what: baseWhat },
      days,
      gapsCounted: gaps,
      restsOn: [
        ...(baseEvent ? [ref(baseEvent)] : []),
        ...gaps.flatMap((g) => (g.event ? [g.event] : [])),
      ],
      sentence: `The next contact is due by ${state.contactDueOn}: the local standard of ${days ?? '?'} days after ${baseText}${gapText(gaps)}, under ${policyName}. Missing it flags the case as overdue; it does not exit it (R9).`,
    });
  }
  if (state.followUpDueOn) {
    const employment = state.employment as { startDate?: BusinessDate } | null;
    deadlines.push({
      kind: 'followUpDueOn',
      dueOn: state.followUpDueOn,
      ruleIds: ['R19'],
      countsFrom: { date: employment?.startDate ?? state.followUpDueOn, what: 'EMPLOYMENT_START' },
      days: num('followUpPeriodDays'),
      gapsCounted: [],
      restsOn: employmentEvent ? [ref(employmentEvent)] : [],
      sentence: `A follow-up contact verifying the employment is due by ${state.followUpDueOn}: ${num('followUpPeriodDays') ?? '?'} days after the job started on ${employment?.startDate ?? '?'} (R19).`,
    });
  }

  const notCounted: NotCounted[] = [];
  domain.forEach(({ recorded, event }, i) => {
    const d = data(i);
    if (event.type === 'ContactAttempted') {
      const [ruleId, why] = NOT_COUNTED_WHY[str(d.reason) ?? ''] ?? [
        'R5',
        'not a qualifying contact',
      ];
      notCounted.push({
        event: ref(recorded),
        occurredOn: dateOf(d.occurredOn) ?? null,
        ruleId,
        why,
      });
    } else if (
      (event.type === 'ContactRecorded' || (event.type as string) === 'FollowUpContactRecorded') &&
      d.followUp === true
    ) {
      notCounted.push({
        event: ref(recorded),
        occurredOn: dateOf(d.occurredOn) ?? null,
        ruleId: 'R19',
        why: 'a follow-up contact verifies employment; it never moves the soft-exit clock or the exit date',
      });
    } else if (
      event.type === 'ContactRecorded' &&
      str(d.contactId) &&
      voided.has(d.contactId as string)
    ) {
      notCounted.push({
        event: ref(recorded),
        occurredOn: dateOf(d.occurredOn) ?? null,
        ruleId: 'R22',
        why: 'this contact was voided as entered in error',
      });
    }
  });

  let exit: ExplainedOutcome | null = null;
  if (exitEvent !== null) {
    const recorded = domain[exitEvent].recorded;
    const d = data(exitEvent);
    const restsOnIds = Array.isArray(d.restsOn)
      ? d.restsOn
      : Array.isArray(d.eventIds)
        ? d.eventIds
        : [];
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const restsOn = restsOnIds
      .map((id) => (typeof id === 'string' ? byId.get(id) : undefined))
      .filter((e): e is RecordedEvent => e !== undefined)
      .map(ref);
    const fallbackRests = baseEvent ? [ref(baseEvent)] : [];
    exit = {
      kind: 'SOFT_EXIT',
      ruleIds: Array.isArray(d.rules) && d.rules.length > 0 ? (d.rules as string[]) : ['R8', 'R17'],
      event: ref(recorded),
      exitDate: dateOf(d.exitDate) ?? state.exitDate,
      details: d,
      restsOn: restsOn.length > 0 ? restsOn : fallbackRests,
      sentence: `The case soft-exited: no qualifying contact was entered by ${str(d.dueOn) ?? '?'} (detected ${str(d.detectedOn) ?? '?'}), so the program exit is dated ${str(d.exitDate) ?? state.exitDate ?? '?'}, the last day of service (R8, R17).`,
    };
  }
  let closure: ExplainedOutcome | null = null;
  if (closeEvent !== null) {
    const recorded = domain[closeEvent].recorded;
    const d = data(closeEvent);
    const reason = str(d.reason) ?? state.closureReason ?? '?';
    const ruleIds =
      Array.isArray(d.rules) && d.rules.length > 0
        ? (d.rules as string[])
        : [
            'R14',
            'R16',
            ...(reason === 'EMPLOYMENT_ATTAINED' ? ['R19'] : []),
            ...(reason === 'NO_CONTACT_90_DAYS' ? ['R17'] : []),
          ];
    const suspended = suspendEvent as RecordedEvent | null;
    const byId = new Map(events.map((e) => [e.eventId, e]));
    const named = decisionEventIds(d)
      .map((id) => byId.get(id))
      .filter((e): e is RecordedEvent => e !== undefined)
      .map(ref);
    closure = {
      kind: 'CLOSURE',
      ruleIds,
      event: ref(recorded),
      exitDate: dateOf(d.exitDate) ?? state.exitDate,
      details: { ...d, approvedBy: str(d.approvedBy) ?? recorded.metadata.actor.staffId },
      restsOn: named.length > 0 ? named : suspended ? [ref(suspended)] : [],
      sentence: `The case was closed on ${str(d.closedOn) ?? '?'} for ${reason}, approved by ${recorded.metadata.actor.staffId} after ${suspended ? `the suspension by ${suspended.metadata.actor.staffId}` : 'a suspension'} (R14, R16)${state.exitDate ? `; the program exit date is ${str(d.exitDate) ?? state.exitDate}` : ''}.`,
    };
  }

  const status = state.status === 'NONE' ? 'ACTIVE' : state.status;
  const sentences = [
    `${asOf ? `As of ${asOf.toISOString()}, the` : 'The'} case is ${status.toLowerCase().replace('_', '-')}${policy ? `, under ${policyName} of ${state.localAreaId}` : ''}.`,
    lastQualifyingContactOn
      ? `Its last qualifying contact was on ${lastQualifyingContactOn}.`
      : `It has had no qualifying contact since it opened on ${state.openedOn ?? '?'}.`,
    ...deadlines.map((d) => d.sentence),
    ...notCounted.map(
      (n) =>
        `The ${n.event.type} entry of ${n.occurredOn ?? '?'} did not count: ${n.why} (${n.ruleId}).`,
    ),
    ...(exit ? [exit.sentence] : []),
    ...(closure ? [closure.sentence] : []),
  ];

  return {
    caseId,
    revision: events[events.length - 1]?.revision ?? -1,
    ...(asOf ? { asOf: asOf.toISOString() } : {}),
    status,
    policy,
    lastQualifyingContact: lastQualifyingContactOn
      ? { date: lastQualifyingContactOn, event: lastContactEvent ? ref(lastContactEvent) : null }
      : null,
    deadlines,
    notCounted,
    exit,
    closure,
    sentences,
  };
}
