import {
  decide,
  evolve,
  foldCase,
  initialCaseState,
  upcastRecorded,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ContactPolicy,
  type DecideContext,
} from '@caseledger/domain';
import type { RecordedEvent } from '@caseledger/event-store';

/** Finds a local area's contact policy (undefined when the area has none). */
export type PolicyLookup = (localAreaId: string) => ContactPolicy | undefined;

/** Stored events → the current schema (the domain's one `upcastRecorded`), folded onto `from` (a new case by default). */
export function foldRecorded(
  recorded: readonly RecordedEvent[],
  from: CaseState = initialCaseState(),
): CaseState {
  return foldCase(recorded.map(upcastRecorded), from);
}

export function applyEvents(state: CaseState, events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, state);
}

export function runDecide(
  command: CaseCommand,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  return decide(command, state, context);
}
