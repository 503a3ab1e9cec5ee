import fc from 'fast-check';
import { addDays, daysBetween, type BusinessDate } from '../shared/business-date';
import { DomainError } from '../shared/errors';
import type { CaseCommand } from './case.commands';
import { decide } from './case.decide';
import type { CaseEvent } from './case.events';
import { evolve, foldCase, initialCaseState, type CaseState } from './case.state';
import { deadlineAfter, gapDaysWithin, type GapSpan } from './deadlines';
import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  GAP_REASONS,
  type ContactMethod,
  type ContactOutcome,
  type ContactParty,
} from './case.vocabulary';
import {
  MA_POLICY,
  MO_POLICY,
  admin,
  caseOpened,
  context,
  day,
  deepFreeze,
  enrolled,
  recordContact,
  approveSuspension,
  identifyBarrier,
  raiseTickler,
  recordEmployment,
  resolveGoal,
  returnSuspension,
  schedulePlannedGap,
  setGoal,
  softExitCase,
  suspendCase,
  systemActor,
  transferCase,
} from '../testing';

/** Reference arithmetic: walk day by day, counting days after `base` that lie in no gap. */
function walkDeadline(base: BusinessDate, days: number, gaps: readonly GapSpan[]): BusinessDate {
  const inGap = (d: BusinessDate) => gaps.some((g) => g.startDate <= d && d <= g.endDate);
  let date = base;
  let counted = 0;
  while (counted < days) {
    date = addDays(date, 1);
    if (!inGap(date)) counted++;
  }
  return date;
}

/** Non-overlapping gaps, as R10 allows them. */
const gapsArb = fc
  .array(
    fc.record({ skip: fc.integer({ min: 0, max: 60 }), len: fc.integer({ min: 1, max: 40 }) }),
    {
      maxLength: 4,
    },
  )
  .map((parts) => {
    let cursor = -20;
    return parts.map(({ skip, len }, i) => {
      const startDate = day(cursor + skip);
      const endDate = day(cursor + skip + len - 1);
      cursor += skip + len;
      return { gapId: `g-${i}`, startDate, endDate };
    });
  });

const deadlines = (s: CaseState) => ({
  contactDueOn: s.contactDueOn,
  softExitDueOn: s.softExitDueOn,
  followUpDueOn: s.followUpDueOn,
});

/**
 * A random but valid history: random commands over advancing days, issued by an
 * admin; whatever `decide` refuses is dropped, whatever it accepts is kept.
 */
type Step =
  | { kind: 'advance'; days: number }
  | {
      kind: 'contact';
      back: number;
      method: ContactMethod;
      outcome: ContactOutcome;
      party: ContactParty;
      unavailable: boolean;
    }
  | { kind: 'gap'; ahead: number; len: number; reason: (typeof GAP_REASONS)[number] }
  | { kind: 'softExit' }
  | { kind: 'other'; which: (typeof OTHER_STEPS)[number] };

/** The rest of the lifecycle, so histories also suspend, return, transfer, close. */
const OTHER_STEPS = [
  'employment',
  'followUp',
  'suspend',
  'return',
  'approve',
  'contactTickler',
  'followUpTickler',
  'goal',
  'resolveGoal',
  'barrier',
  'transferToMA',
  'transferToMO',
] as const;

/** Mostly contacts that make sense (R4), so histories hold many of both kinds. */
const SENSIBLE_PAIRS: ReadonlyArray<[ContactMethod, ContactOutcome]> = [
  ['IN_PERSON', 'REACHED'],
  ['TELEPHONE', 'REACHED'],
  ['TELEPHONE', 'NO_ANSWER'],
  ['TELEPHONE', 'MESSAGE_LEFT'],
  ['EMAIL', 'SENT'],
  ['LETTER', 'SENT'],
  ['EMAIL', 'RESPONSE_RECEIVED'],
];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 60 }) }),
  fc
    .record({
      kind: fc.constant('contact' as const),
      back: fc.integer({ min: 0, max: 40 }),
      pair: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...SENSIBLE_PAIRS) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.constantFrom(...CONTACT_METHODS),
            fc.constantFrom(...CONTACT_OUTCOMES),
          ),
        },
      ),
      party: fc.oneof(
        { weight: 4, arbitrary: fc.constant<ContactParty>('CUSTOMER') },
        { weight: 1, arbitrary: fc.constantFrom(...CONTACT_PARTIES) },
      ),
      unavailable: fc.boolean(),
    })
    .map(({ pair: [method, outcome], ...rest }) => ({ ...rest, method, outcome })),
  fc.record({
    kind: fc.constant('gap' as const),
    ahead: fc.integer({ min: -10, max: 60 }),
    len: fc.integer({ min: 1, max: 30 }),
    reason: fc.constantFrom(...GAP_REASONS),
  }),
  fc.record({ kind: fc.constant('softExit' as const) }),
  fc.record({ kind: fc.constant('other' as const), which: fc.constantFrom(...OTHER_STEPS) }),
  fc.record({ kind: fc.constant('other' as const), which: fc.constantFrom(...OTHER_STEPS) }),
);

function otherCommand(
  which: (typeof OTHER_STEPS)[number],
  i: number,
  state: CaseState,
  today: BusinessDate,
): CaseCommand {
  switch (which) {
    case 'employment':
      return recordEmployment({ start: today });
    case 'followUp':
      return recordContact({ id: `fu-${i}`, on: today, followUp: true });
    case 'suspend':
      return suspendCase({ reason: i % 3 === 0 ? 'EMPLOYMENT_ATTAINED' : 'CUSTOMER_WITHDREW' });
    case 'return':
      return returnSuspension();
    case 'approve':
      return approveSuspension();
    case 'contactTickler':
      return raiseTickler('CONTACT_DUE', state.contactDueOn ?? today);
    case 'followUpTickler':
      return raiseTickler('FOLLOW_UP_DUE', state.followUpDueOn ?? today);
    case 'goal':
      return setGoal({ id: `goal-${i}` });
    case 'resolveGoal':
      return resolveGoal({ id: state.goals.find((g) => g.status === 'PENDING')?.goalId ?? 'none' });
    case 'barrier':
      return identifyBarrier({ id: `b-${i}`, on: today });
    case 'transferToMA':
      return transferCase({ toCareerCenterId: `cc-${i}`, toLocalAreaId: 'MA-DEFAULT' });
    case 'transferToMO':
      return transferCase({ toCareerCenterId: `cc-${i}`, toLocalAreaId: 'MO-DEFAULT' });
  }
}

const SYSTEM_STEPS: ReadonlySet<string> = new Set(['contactTickler', 'followUpTickler']);

interface History {
  events: CaseEvent[];
  today: BusinessDate;
}

const historyArb: fc.Arbitrary<History> = fc
  .record({
    policy: fc.constantFrom(MO_POLICY, MA_POLICY),
    steps: fc.array(stepArb, { maxLength: 30 }),
  })
  .map(({ policy, steps }) => {
    let today = day(0);
    const events: CaseEvent[] = [caseOpened({ on: day(0), policy }), enrolled({ on: day(0) })];
    let state = foldCase(events);
    steps.forEach((step, i) => {
      if (step.kind === 'advance') {
        today = addDays(today, step.days);
        return;
      }
      let command: CaseCommand;
      if (step.kind === 'contact') {
        const on = addDays(today, -Math.min(step.back, daysBetween(day(0), today)));
        command = recordContact({
          id: `c-${i}`,
          on,
          method: step.method,
          outcome: step.outcome,
          party: step.party,
          customerUnavailable: step.unavailable,
          providerUnavailable: step.unavailable,
          alternateHasSubstantiveKnowledge: step.unavailable,
        });
      } else if (step.kind === 'gap') {
        const from = addDays(today, step.ahead);
        command = schedulePlannedGap({
          id: `g-${i}`,
          from,
          to: addDays(from, step.len - 1),
          reason: step.reason,
        });
      } else if (step.kind === 'other') command = otherCommand(step.which, i, state, today);
      else command = softExitCase();
      try {
        const actor =
          step.kind === 'softExit' || (step.kind === 'other' && SYSTEM_STEPS.has(step.which))
            ? systemActor()
            : admin();
        const decided = decide(command, state, context({ policy, today, actor }));
        events.push(...decided);
        state = decided.reduce(evolve, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    });
    return { events, today };
  });

/** Pairs (state before, event, state after) along a history. */
function transitions(events: readonly CaseEvent[]) {
  const out: Array<{ before: CaseState; event: CaseEvent; after: CaseState }> = [];
  let state = initialCaseState();
  for (const event of events) {
    const after = evolve(state, event);
    out.push({ before: state, event, after });
    state = after;
  }
  return out;
}

describe('deadline arithmetic (properties)', () => {
  it('R8/R10: the deadline is the day the window of non-gap days runs out (day-by-day reference)', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120 }),
        gapsArb,
        fc.integer({ min: 1, max: 90 }),
        (b, gaps, n) => {
          expect(deadlineAfter(day(b), n, gaps)).toBe(walkDeadline(day(b), n, gaps));
        },
      ),
    ));

  it('R10: a planned gap extends the soft-exit deadline by exactly its days inside the window', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: -30, max: 150 }),
        fc.integer({ min: 1, max: 60 }),
        (contactDay, gapStart, len) => {
          const history = [
            caseOpened({ on: day(0) }),
            enrolled({ on: day(0) }),
            ...(contactDay > 0 ? [{ ...recordContactEvent(day(contactDay)) }] : []),
          ];
          const before = foldCase(history);
          const gap = {
            startDate: day(Math.max(0, gapStart)),
            endDate: day(Math.max(0, gapStart) + len - 1),
          };
          const after = evolve(before, {
            type: 'PlannedGapScheduled',
            data: { gapId: 'g', reason: 'HEALTH', ...gap },
          });
          const base = before.lastQualifyingContactOn ?? day(0);
          const extension = daysBetween(before.softExitDueOn!, after.softExitDueOn!);
          expect(extension).toBe(gapDaysWithin(base, after.softExitDueOn!, [gap]));
          // Exactly its days after the base when it starts inside the window, none otherwise.
          const firstCounted = gap.startDate > base ? gap.startDate : addDays(base, 1);
          const expected =
            firstCounted <= before.softExitDueOn! && gap.endDate >= firstCounted
              ? daysBetween(firstCounted, gap.endDate) + 1
              : 0;
          expect(extension).toBe(expected);
        },
      ),
    ));
});

function recordContactEvent(on: BusinessDate): CaseEvent {
  const data = recordContact({ id: `c-${on}`, on }).data;
  return { type: 'ContactRecorded', data: { ...data, qualifying: true } };
}

describe('decider and fold (properties over random valid histories)', () => {
  it('R8/R9: a qualifying contact never moves a deadline earlier', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        for (const { before, event, after } of transitions(events)) {
          if (event.type !== 'ContactRecorded') continue;
          expect(after.lastQualifyingContactOn! >= (before.lastQualifyingContactOn ?? '')).toBe(
            true,
          );
          expect(after.softExitDueOn! >= before.softExitDueOn!).toBe(true);
          expect(after.contactDueOn! >= before.contactDueOn!).toBe(true);
        }
      }),
    ));

  it('R5/R7: a non-qualifying contact never moves any deadline', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        for (const { before, event, after } of transitions(events)) {
          if (event.type !== 'ContactAttempted') continue;
          expect(deadlines(after)).toEqual(deadlines(before));
          expect(after.lastQualifyingContactOn).toBe(before.lastQualifyingContactOn);
        }
      }),
    ));

  it('R17: SoftExitCase on or before the deadline never produces an event', () =>
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 200 }), ({ events }, back) => {
        const state = foldCase(events);
        if (state.softExitDueOn === null) return;
        const today = addDays(state.softExitDueOn, -back);
        if (today < (state.openedOn ?? today)) return;
        expect(decide(softExitCase(), state, context({ today, actor: systemActor() }))).toEqual([]);
      }),
    ));

  it('R17: SoftExitCase after the deadline exits an active case at its last contact or opening', () =>
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 200 }), ({ events }, late) => {
        const state = foldCase(events);
        if (state.status !== 'ACTIVE') return;
        const today = addDays(state.softExitDueOn!, late);
        const [exited, ...rest] = decide(
          softExitCase(),
          state,
          context({ today, actor: systemActor() }),
        );
        expect(rest).toEqual([]);
        expect(exited).toEqual({
          type: 'CaseSoftExited',
          data: expect.objectContaining({
            exitDate: state.lastQualifyingContactOn ?? state.openedOn,
            dueOn: state.softExitDueOn,
            detectedOn: today,
          }) as unknown,
        });
      }),
    ));

  it('folding any valid event sequence twice gives the same state', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        expect(foldCase(events)).toEqual(foldCase(events));
        expect(foldCase(structuredClone(events))).toEqual(foldCase(events));
      }),
    ));

  it('evolve never mutates its input (state or event)', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        let state = initialCaseState();
        for (const event of events) {
          const frozenState = deepFreeze(structuredClone(state));
          const frozenEvent = deepFreeze(structuredClone(event));
          const snapshot = structuredClone(frozenState);
          state = evolve(frozenState, frozenEvent);
          expect(frozenState).toEqual(snapshot);
        }
      }),
    ));
});
