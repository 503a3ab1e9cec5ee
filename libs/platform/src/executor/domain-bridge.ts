import {
  decide,
  evolve,
  initialCaseState,
  upcast,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ContactPolicy,
  type DecideContext,
} from '@caseledger/domain';
import type { RecordedEvent } from '@caseledger/event-store';

/** Finds a local area's contact policy (undefined when the area has none). */
export type PolicyLookup = (localAreaId: string) => ContactPolicy | undefined;

/** Stored events → the current schema (upcasters), then folded with the domain's `evolve`. */
export function toDomainEvent(recorded: RecordedEvent): CaseEvent {
  return upcast({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: recorded.metadata.schemaVersion,
    eventId: recorded.eventId,
  });
}

/** Stored events folded onto `from` (a new case by default). */
export function foldRecorded(
  recorded: readonly RecordedEvent[],
  from: CaseState = initialCaseState(),
): CaseState {
  return recorded.reduce((state, e) => evolve(state, toDomainEvent(e)), from);
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
