import fc from 'fast-check';
import { addDays, type BusinessDate } from '../shared/business-date';
import { DomainError } from '../shared/errors';
import type { CaseCommand } from './case.commands';
import { decide } from './case.decide';
import type { CaseEvent } from './case.events';
import { evolve, foldCase, initialCaseState, type CaseState } from './case.state';
import type { Actor } from './case.vocabulary';
import {
  MA_POLICY,
  MO_POLICY,
  approveSuspension,
  caseManager,
  caseOpened,
  context,
  day,
  endPlannedGap,
  enrolled,
  enrollInActivity,
  identifyBarrier,
  recordContact,
  recordEmployment,
  returnSuspension,
  schedulePlannedGap,
  setGoal,
  softExitCase,
  supervisor,
  suspendCase,
  systemActor,
  transferCase,
  voidContact,
} from '../testing';

/**
 * Properties of the v2 rules over random valid histories: random commands on
 * advancing days, each issued by the role that may issue it; what `decide`
 * refuses is dropped, what it accepts is kept.
 */
type Step =
  | { kind: 'advance'; days: number }
  | { kind: 'contact'; back: number; outcome: 'REACHED' | 'NO_ANSWER'; followUp: boolean }
  | { kind: 'void'; pick: number }
  | { kind: 'gap'; len: number }
  | { kind: 'endGap' }
  | { kind: 'employment' }
  | { kind: 'suspend' }
  | { kind: 'approve' }
  | { kind: 'return' }
  | { kind: 'softExit' }
  | { kind: 'reverse'; back: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      days: fc.integer({ min: 1, max: 70 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('contact' as const),
      back: fc.integer({ min: 0, max: 20 }),
      outcome: fc.constantFrom('REACHED' as const, 'NO_ANSWER' as const),
      followUp: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('gap' as const),
      len: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('endGap' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('employment' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('suspend' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('approve' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('return' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('softExit' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reverse' as const),
      back: fc.integer({ min: 1, max: 80 }),
    }),
  },
);

function commandFor(
  step: Step,
  i: number,
  state: CaseState,
  today: BusinessDate,
): [CaseCommand, Actor] | null {
  const cm = caseManager();
  switch (step.kind) {
    case 'advance':
      return null;
    case 'contact': {
      const on = addDays(today, -step.back) < day(0) ? day(0) : addDays(today, -step.back);
      return [
        recordContact({
          id: `c-${i}`,
          on,
          method: step.outcome === 'NO_ANSWER' ? 'TELEPHONE' : 'IN_PERSON',
          outcome: step.outcome,
          followUp: step.followUp,
        }),
        cm,
      ];
    }
    case 'void': {
      const live = state.contacts.filter((c) => c.voided === undefined);
      if (live.length === 0) return null;
      return [voidContact(live[step.pick % live.length].contactId), cm];
    }
    case 'gap':
      return [
        schedulePlannedGap({ id: `g-${i}`, from: today, to: addDays(today, step.len - 1) }),
        cm,
      ];
    case 'endGap': {
      const gap = state.plannedGaps.find((g) => g.endDate > today && g.startDate <= today);
      return gap ? [endPlannedGap(gap.gapId, today), cm] : null;
    }
    case 'employment':
      return [recordEmployment({ start: today }), cm];
    case 'suspend':
      return [suspendCase({ reason: 'CUSTOMER_WITHDREW' }), cm];
    case 'approve':
      return [approveSuspension(), supervisor()];
    case 'return':
      return [returnSuspension(), supervisor()];
    case 'softExit':
      return [softExitCase(), systemActor()];
    case 'reverse':
      return [
        {
          type: 'ReverseSoftExit',
          data: {
            contact: recordContact({ id: `late-${i}`, on: addDays(today, -step.back) }).data,
            justification: 'Paper file shows the visit on that day.',
          },
        },
        supervisor(),
      ];
  }
}

interface History {
  events: CaseEvent[];
  today: BusinessDate;
  policy: typeof MO_POLICY;
}

const historyArb: fc.Arbitrary<History> = fc
  .record({
    policy: fc.constantFrom(MO_POLICY, MA_POLICY),
    program: fc.constantFrom('WIOA_ADULT' as const, 'WIOA_YOUTH' as const),
    steps: fc.array(stepArb, { minLength: 10, maxLength: 40, size: 'max' }),
  })
  .map(({ policy, program, steps }) => {
    let today = day(0);
    const events: CaseEvent[] = [
      caseOpened({ on: day(0), policy, program }),
      enrolled({ on: day(0) }),
    ];
    let state = foldCase(events);
    steps.forEach((step, i) => {
      if (step.kind === 'advance') {
        today = addDays(today, step.days);
        return;
      }
      const issued = commandFor(step, i, state, today);
      if (issued === null) return;
      try {
        const decided = decide(issued[0], state, context({ policy, today, actor: issued[1] }));
        events.push(...decided);
        state = decided.reduce(evolve, state);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
      }
    });
    return { events, today, policy };
  });

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

const clocks = (s: CaseState) => ({
  lastQualifyingContactOn: s.lastQualifyingContactOn,
  contactDueOn: s.contactDueOn,
  softExitDueOn: s.softExitDueOn,
});

describe('v2 rules (properties over random valid histories)', () => {
  it('R19: a follow-up contact never moves the exit date or the soft-exit deadline', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        for (const { before, event, after } of transitions(events)) {
          if (event.type !== 'FollowUpContactRecorded') continue;
          expect(after.exitDate).toBe(before.exitDate);
          expect(clocks(after)).toEqual(clocks(before));
        }
      }),
      { numRuns: 300 },
    ));

  it('R14/R17: no exit or closure is dated other than the last qualifying contact (or opening)', () =>
    fc.assert(
      fc.property(historyArb, ({ events }) => {
        for (const { before, event, after } of transitions(events)) {
          if (event.type !== 'CaseClosed' && event.type !== 'CaseSoftExited') continue;
          // Recomputed from the facts alone: the latest non-voided qualifying contact.
          const lastDay = before.contacts
            .filter((c) => c.qualifying && c.voided === undefined)
            .reduce<BusinessDate | null>(
              (m, c) => (m === null || c.occurredOn > m ? c.occurredOn : m),
              null,
            );
          const expected = lastDay ?? before.openedOn;
          expect(event.data.exitDate).toBe(expected);
          expect(after.exitDate).toBe(expected);
        }
      }),
      { numRuns: 300 },
    ));

  it('R22: a voided contact changes the deadline exactly as if it had never been recorded', () =>
    fc.assert(
      fc.property(
        historyArb,
        fc.nat(),
        fc.integer({ min: 0, max: 120 }),
        ({ events, today, policy }, pick, later) => {
          const state = foldCase(events);
          const live = state.contacts.filter((c) => c.voided === undefined);
          if (state.status !== 'ACTIVE' || live.length === 0) return;
          const when = addDays(today, later);
          const target = live[pick % live.length];
          let decided: CaseEvent[];
          try {
            decided = decide(
              voidContact(target.contactId),
              state,
              context({ policy, today: when, actor: caseManager() }),
            );
          } catch (error) {
            if (error instanceof DomainError && error.ruleId === 'R8') return; // already past due
            throw error;
          }
          const voided = evolve(state, decided[0]);
          const without = foldCase(
            events.filter(
              (e) =>
                !(
                  (e.type === 'ContactRecorded' ||
                    e.type === 'ContactAttempted' ||
                    e.type === 'FollowUpContactRecorded') &&
                  e.data.contactId === target.contactId
                ),
            ),
          );
          expect(clocks(voided)).toEqual(clocks(without));
          expect(voided.followUpDueOn).toBe(without.followUpDueOn);
          // And when the recomputed deadline has passed, the case exits at the contact before.
          if (decided.length > 1) {
            expect(decided[1]).toMatchObject({
              type: 'CaseSoftExited',
              data: { exitDate: without.lastQualifyingContactOn ?? without.openedOn },
            });
          }
        },
      ),
      { numRuns: 300 },
    ));

  it('R8: once the deadline has passed, no command but the soft exit is accepted', () =>
    fc.assert(
      fc.property(
        historyArb,
        fc.integer({ min: 1, max: 90 }),
        fc.nat(),
        ({ events, policy }, late, pick) => {
          const state = foldCase(events);
          if (state.status !== 'ACTIVE' || state.softExitDueOn === null) return;
          const today = addDays(state.softExitDueOn, late);
          const recent = addDays(state.softExitDueOn, 0);
          const candidates: Array<[CaseCommand, Actor]> = [
            [recordContact({ id: 'x-c', on: recent }), caseManager()],
            [recordContact({ id: 'x-fu', on: today, followUp: true }), caseManager()],
            [enrollInActivity({ id: 'x-e', on: recent }), caseManager()],
            [schedulePlannedGap({ id: 'x-g', from: today, to: addDays(today, 10) }), caseManager()],
            [suspendCase({ reason: 'CUSTOMER_WITHDREW' }), caseManager()],
            [approveSuspension(), supervisor()],
            [returnSuspension(), supervisor()],
            [transferCase(), supervisor()],
            [identifyBarrier({ id: 'x-b', on: today }), caseManager()],
            [setGoal({ id: 'x-goal' }), caseManager()],
            [recordEmployment({ start: today }), caseManager()],
            [
              { type: 'CorrectCustomerDetails', data: { lastName: 'Other', reason: 'typo' } },
              caseManager(),
            ],
            ...state.contacts.map((c): [CaseCommand, Actor] => [
              voidContact(c.contactId),
              caseManager(),
            ]),
            ...state.plannedGaps.map((g): [CaseCommand, Actor] => [
              endPlannedGap(g.gapId, today),
              caseManager(),
            ]),
          ];
          const [command, actor] = candidates[pick % candidates.length];
          let accepted: CaseEvent[] = [];
          try {
            accepted = decide(command, state, context({ policy, today, actor }));
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          expect(accepted).toEqual([]);
          const exit = decide(
            softExitCase(),
            state,
            context({ policy, today, actor: systemActor() }),
          );
          expect(exit.map((e) => e.type)).toEqual(['CaseSoftExited']);
        },
      ),
      { numRuns: 300 },
    ));
});
