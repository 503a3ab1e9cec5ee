import { CURRENT_SCHEMA_VERSION, type Actor, type CaseEvent } from '@caseledger/domain';
import type { NewEvent } from '@caseledger/event-store';
import { eventIdFor } from './deterministic-id';

/** Who and why, the same for every event one command produces (R13 metadata). */
export interface EnvelopeSource {
  commandId: string;
  correlationId: string;
  causationId?: string;
  actor: Actor;
  /** The Idempotency-Key's request fingerprint, kept in the events' metadata. */
  requestHash?: string;
}

/**
 * A command's decided events as the store takes them: ids derived from the
 * command id (a repeated command can never append twice), the actor, command,
 * correlation and causation ids, and the schema version each type is written at.
 */
export function envelopes(source: EnvelopeSource, events: readonly CaseEvent[]): NewEvent[] {
  const actor = {
    staffId: source.actor.staffId,
    role: source.actor.role,
    careerCenterId: source.actor.careerCenterId,
  };
  const causationId = source.causationId ?? source.commandId;
  return events.map((event, index) => ({
    eventId: eventIdFor(source.commandId, index),
    type: event.type,
    data: event.data,
    metadata: {
      commandId: source.commandId,
      correlationId: source.correlationId,
      causationId,
      actor,
      schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
      ...(source.requestHash !== undefined ? { requestHash: source.requestHash } : {}),
    },
  }));
}
