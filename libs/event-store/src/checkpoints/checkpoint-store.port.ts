import type { SignedCheckpoint } from './checkpoint';

/**
 * Where signed checkpoints are kept. Two adapters: a table beside the events
 * (PostgreSQL/PGlite) and a stream of the event store itself (EventStoreDB,
 * through the EventStore port). Appends are append-only and ordered by
 * sequence: a second writer racing for the same sequence gets
 * CheckpointConflictError and starts over from the newest checkpoint.
 */
export interface CheckpointStore {
  /** Every checkpoint in sequence order. */
  list(): Promise<SignedCheckpoint[]>;
  latest(): Promise<SignedCheckpoint | undefined>;
  append(checkpoint: SignedCheckpoint): Promise<void>;
}

export class CheckpointConflictError extends Error {
  constructor(sequence: number) {
    super(`checkpoint ${sequence} was written by another process`);
    this.name = 'CheckpointConflictError';
  }
}
