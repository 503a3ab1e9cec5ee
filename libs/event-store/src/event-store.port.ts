/**
 * The event store port (DESIGN.md "The event store is a port"). Two adapters
 * implement it and pass one contract suite (`event-store.contract.ts`):
 * PostgreSQL through `pg` (the same adapter runs in-process on PGlite, the
 * embedded default) and EventStoreDB through its official client.
 */

/** Who did it: recorded on every event (R13). */
export interface EventActor {
  staffId: string;
  role: string;
  careerCenterId: string;
}

/** Metadata a caller supplies; the store adds `recordedAt`. */
export interface EventMetadataInput {
  /** The command that caused the event (idempotency). */
  commandId: string;
  correlationId: string;
  causationId: string;
  actor: EventActor;
  /** The schema version of `data` (upcasters lift old versions on read). */
  schemaVersion: number;
  /**
   * The fingerprint of the request an Idempotency-Key came with (method, path,
   * canonical body), stored with the events themselves: on a store that keeps
   * no key table (EventStoreDB), a repeat of the key with another request is
   * told apart from the events alone.
   */
  requestHash?: string;
}

export interface EventMetadata extends EventMetadataInput {
  eventId: string;
  /** ISO-8601 instant at which the store accepted the event. */
  recordedAt: string;
}

export interface NewEvent {
  /** Unique id (UUID). Re-appending the same ids at the same expected revision is a no-op. */
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadataInput;
}

/**
 * A global position in the store's total order. PostgreSQL: (transaction id,
 * sequence); EventStoreDB: (commit, prepare). Compare with `comparePositions`.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface RecordedEvent {
  streamId: string;
  /** Counts from 0 within the stream. */
  revision: number;
  position: Position;
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  /** SHA-256 (hex) over the previous event's hash and this event's canonical content. */
  hash: string;
  /** The previous event's hash ('' for revision 0). */
  previousHash: string;
}

/**
 * An Idempotency-Key, stored in the same transaction as the events it
 * produced (where the adapter can): a key never answers for events that do
 * not exist, and the events never exist without their key.
 */
export interface IdempotencyRecord {
  /** Whose key it is: keys are scoped per actor. */
  scope: string;
  key: string;
  /** The request's fingerprint (method, path, canonical body). */
  requestHash: string;
}

export interface StoredIdempotencyRecord extends IdempotencyRecord {
  streamId: string;
  createdAt: string;
}

export interface AppendOptions {
  idempotency?: IdempotencyRecord;
}

/** 'no-stream': the stream must not exist; 'any': no check; a number: the stream's current revision. */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface AppendResult {
  /** The revision of the last event written (or found, for an idempotent retry). */
  nextRevision: number;
  position: Position;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  /** Only events recorded at or before this instant (the auditors' "as of" view). */
  recordedUntil?: Date;
}

export interface VerifyResult {
  valid: boolean;
  eventCount: number;
  /** The first revision whose stored hash does not match its recomputation. */
  firstInvalidRevision?: number;
}

export interface SubscribeOptions {
  /** Resume after this position; omitted: from the start of the store. */
  from?: Position;
  /** Largest batch handed to the handler. */
  batchSize?: number;
}

/**
 * A catch-up subscription: history, then live. The handler is awaited before the
 * next batch; it never sees an event twice or out of order within one
 * subscription, and never misses a committed event.
 */
export interface Subscription {
  /** Stop after the batch in flight; resolves when stopped. */
  stop(): Promise<void>;
  /** Resolves when the subscription has stopped (by `stop()` or by a handler error, which it rejects with). */
  readonly done: Promise<void>;
}

export type BatchHandler = (events: RecordedEvent[]) => Promise<void>;

export interface EventStore {
  append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /**
   * The Idempotency-Key stored with its events (adapters that write both in one
   * transaction; absent elsewhere, where the events' metadata tells instead).
   */
  findIdempotencyRecord?(scope: string, key: string): Promise<StoredIdempotencyRecord | undefined>;
  /** Deletes keys older than `olderThan` (retention); returns how many went. */
  purgeIdempotencyRecords?(olderThan: Date): Promise<number>;
  /** Events of one stream in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Several whole streams at once, each in revision order, as `readStream`
   * reads them: one round trip on PostgreSQL/PGlite (callers that handle many
   * cases together, such as a batch of due deadlines, pay one read rather than
   * one per case). Every asked stream is a key of the answer, [] when it does
   * not exist.
   */
  readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>>;
  /** Events of all streams after `from` (exclusive) in global order. */
  readAll(from: Position | undefined, limit: number): Promise<RecordedEvent[]>;
  subscribe(handler: BatchHandler, options?: SubscribeOptions): Subscription;
  /** Recompute a stream's hash chain. */
  verify(streamId: string): Promise<VerifyResult>;
  /** The position of the newest committed event (undefined on an empty store), for lag. */
  headPosition(): Promise<Position | undefined>;
  /** Readiness for /health. Throws EventStoreUnavailableError when down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const START: Position = { commit: 0n, prepare: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit/prepare`, for checkpoints stored as text and for logs. */
export const positionToString = (p: Position): string => `${p.commit}/${p.prepare}`;

export function parsePosition(text: string): Position {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new RangeError(`not a position: ${text}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** The store cannot be reached (server down, gRPC code 14, connection refused). */
export class EventStoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/**
 * The stream was changed by someone else since it was read (its revision is
 * not the expected one). A store verdict, not a business rule: the executor
 * re-reads and decides again; at the HTTP edge it is a 409 under the
 * `CONCURRENCY` id (DESIGN.md "Known ground": optimistic concurrency).
 */
export class ConcurrencyError extends Error {
  /** The problem id the HTTP edge answers with. */
  readonly ruleId = 'CONCURRENCY' as const;
  readonly kind = 'conflict' as const;

  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`stream ${streamId} is at ${actual}, expected ${expected}`);
    this.name = 'ConcurrencyError';
  }
}
