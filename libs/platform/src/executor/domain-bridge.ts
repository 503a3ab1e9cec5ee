import {
  decide,
  evolve,
  foldCase,
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

/** Stored events → the current schema (the domain's one `upcastRecorded`), then folded with `evolve`. */
export function foldRecorded(recorded: readonly RecordedEvent[]): CaseState {
  return foldCase(recorded.map(upcastRecorded));
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
