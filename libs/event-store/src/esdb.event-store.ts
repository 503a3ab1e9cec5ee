import {
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  NO_STREAM,
  START,
  KurrentDBClient,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type JSONType,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import {
  EventStoreUnavailableError,
  ConcurrencyError,
  comparePositions,
  type AppendResult,
  type BatchHandler,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from './event-store.port';
import { computeEventHash, verifyChain } from './hash-chain';

/**
 * The EventStoreDB adapter (the only file that imports its client; STYLE.md).
 * Our metadata (eventId, recordedAt, actor, …) travels in the event's metadata,
 * together with the hash chain: `hash` and `previousHash`. To chain, an append
 * reads the stream's event at the expected revision (or its last event for
 * 'any') and computes the new hashes on top of it; the server's own expected
 * revision check then guarantees that nobody wrote in between.
 *
 * Error mapping (DESIGN.md "Known ground"): WrongExpectedVersionError →
 * ConcurrencyError; an unreachable server — the client's UnavailableError, or
 * the plain error with gRPC code 14 that a failed append produces — →
 * EventStoreUnavailableError.
 */

/**
 * The client's error classes, re-exported so the adapter's unit test can build
 * the errors the client really throws (no other file may import the client).
 */
export {
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';

/** The part of the client this adapter uses (the unit test hands in a fake). */
export type EsdbClient = Pick<
  KurrentDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

/** What we store in an EventStoreDB event's metadata. */
interface StoredMetadata extends EventMetadata {
  hash: string;
  previousHash: string;
}

const GRPC_UNAVAILABLE = 14;

function errorType(error: unknown): string | undefined {
  const type = (error as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

export function isEsdbUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === GRPC_UNAVAILABLE) return true;
  const type = errorType(error);
  return type === ErrorType.UNAVAILABLE || type === ErrorType.DEADLINE_EXCEEDED;
}

const isStreamNotFound = (error: unknown): boolean =>
  errorType(error) === ErrorType.STREAM_NOT_FOUND;

/** Maps a client error to our vocabulary; anything else passes through. */
export function mapEsdbError(
  error: unknown,
  streamId?: string,
  expected?: ExpectedRevision,
): unknown {
  if (errorType(error) === ErrorType.WRONG_EXPECTED_VERSION) {
    const wrong = error as { streamName?: string; actualState?: unknown; expectedState?: unknown };
    const actual = wrong.actualState;
    return new ConcurrencyError(
      streamId ?? wrong.streamName ?? '?',
      expected !== undefined ? String(expected) : describeState(wrong.expectedState),
      describeState(actual),
    );
  }
  if (isEsdbUnavailable(error) && !(error instanceof EventStoreUnavailableError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${message}`, { cause: error });
  }
  return error;
}

function describeState(state: unknown): string {
  if (typeof state === 'bigint') return state.toString();
  if (state === NO_STREAM || state === undefined) return 'no-stream';
  return typeof state === 'string' ? state : JSON.stringify(state);
}

/** Our expected revision in the client's terms. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'any') return 'any';
  return BigInt(expected);
}

/**
 * An EventStoreDB recorded event as ours. Events written by something other
 * than this adapter (no chain in their metadata) come through with empty hashes
 * and fail verify — which is the truth about them.
 */
export function fromResolved(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const raw = (event.metadata ?? {}) as Partial<StoredMetadata>;
  const { hash = '', previousHash = '', ...metadata } = raw;
  const position: Position = event.position ?? {
    commit: resolved.commitPosition ?? 0n,
    prepare: resolved.commitPosition ?? 0n,
  };
  return {
    streamId: event.streamId,
    revision: Number(event.revision),
    position: { commit: position.commit, prepare: position.prepare },
    eventId: metadata.eventId ?? event.id,
    type: event.type,
    data: event.data,
    metadata: metadata as EventMetadata,
    hash,
    previousHash,
  };
}

const isSystem = (event: RecordedEvent): boolean =>
  event.type.startsWith('$') || event.streamId.startsWith('$');

/** Stream reads in flight at once for `readStreams`. */
const READ_STREAMS_IN_FLIGHT = 16;

export interface EsdbEventStoreOptions {
  /** Largest batch a subscription hands to its handler when events are waiting (default 500). */
  defaultBatchSize?: number;
}

export class EsdbEventStore implements EventStore {
  constructor(
    private readonly client: EsdbClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {}

  static fromConnectionString(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(KurrentDBClient.connectionString(connectionString));
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`append to ${streamId}: no events`);
    try {
      // The predecessor to chain on, and the state the server must confirm.
      let previous: RecordedEvent | undefined;
      let state: AppendStreamState = toStreamState(expected);
      if (typeof expected === 'number') {
        previous = await this.readOne(streamId, BigInt(expected), FORWARDS);
      } else if (expected === 'any') {
        previous = await this.readOne(streamId, END, BACKWARDS);
        // 'any' still chains on what we read: nobody may slip in between.
        state = previous ? BigInt(previous.revision) : NO_STREAM;
        if (previous && previous.eventId === events[events.length - 1].eventId) {
          // The retry of an append that already landed.
          return { nextRevision: previous.revision, position: previous.position };
        }
      }
      const recordedAt = new Date().toISOString();
      let previousHash = previous?.hash ?? '';
      const data = events.map((event) => {
        const metadata: EventMetadata = { ...event.metadata, eventId: event.eventId, recordedAt };
        const hash = computeEventHash(previousHash, {
          type: event.type,
          data: event.data,
          metadata,
        });
        const stored: StoredMetadata = { ...metadata, hash, previousHash };
        previousHash = hash;
        return jsonEvent({
          id: event.eventId,
          type: event.type,
          data: (event.data ?? null) as JSONType,
          metadata: stored as unknown as JSONType,
        });
      });
      const result = await this.client.appendToStream(streamId, data, { streamState: state });
      return {
        nextRevision: Number(result.nextExpectedRevision),
        position: result.position ?? { commit: 0n, prepare: 0n },
      };
    } catch (error) {
      throw mapEsdbError(error, streamId, expected);
    }
  }

  private async readOne(
    streamId: string,
    fromRevision: bigint | typeof END,
    direction: typeof FORWARDS | typeof BACKWARDS,
  ): Promise<RecordedEvent | undefined> {
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision,
        direction,
        maxCount: 1,
      })) {
        return fromResolved(resolved);
      }
      return undefined;
    } catch (error) {
      if (isStreamNotFound(error)) return undefined;
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    const until = options.recordedUntil?.getTime();
    try {
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : START,
        direction: FORWARDS,
      })) {
        const event = fromResolved(resolved);
        if (!event) continue;
        // The auditors' "as of": our own recordedAt, the instant the hash covers.
        if (until !== undefined && Date.parse(event.metadata.recordedAt) > until) break;
        events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapEsdbError(error, streamId);
    }
    return events;
  }

  /**
   * EventStoreDB has no multi-stream read: the streams are read concurrently
   * (a bounded number at a time over the client's one gRPC connection).
   */
  async readStreams(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const ids = [...new Set(streamIds)];
    const streams = new Map<string, RecordedEvent[]>(ids.map((id) => [id, []]));
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++];
        streams.set(id, await this.readStream(id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_STREAMS_IN_FLIGHT, ids.length) }, lane));
    return streams;
  }

  async readAll(from: Position | undefined, limit: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: from ?? START,
        direction: FORWARDS,
        // One more: reading from a position includes the event at it.
        maxCount: limit + 1,
        filter: excludeSystemEvents(),
      })) {
        const event = fromResolved(resolved);
        if (!event || isSystem(event)) continue;
        if (from && comparePositions(event.position, from) <= 0) continue;
        events.push(event);
        if (events.length >= limit) break;
      }
    } catch (error) {
      throw mapEsdbError(error);
    }
    return events;
  }

  async headPosition(): Promise<Position | undefined> {
    try {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 1,
        filter: excludeSystemEvents(),
      })) {
        const event = fromResolved(resolved);
        if (event) return event.position;
      }
      return undefined;
    } catch (error) {
      throw mapEsdbError(error);
    }
  }

  async verify(streamId: string): Promise<VerifyResult> {
    return verifyChain(await this.readStream(streamId));
  }

  async ping(): Promise<void> {
    try {
      for await (const _ of this.client.readAll({ fromPosition: START, maxCount: 1 })) break;
    } catch (error) {
      const mapped = mapEsdbError(error);
      if (mapped instanceof EventStoreUnavailableError) throw mapped;
      const message = error instanceof Error ? error.message : String(error);
      throw new EventStoreUnavailableError(`EventStoreDB unavailable: ${message}`, {
        cause: error,
      });
    }
  }

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? this.options.defaultBatchSize ?? 500;
    const from = options.from;
    const stream = this.client.subscribeToAll({
      fromPosition: from ?? START,
      filter: excludeSystemEvents(),
    });
    let stopping = false;
    let checkpoint = from;

    const loop = async (): Promise<void> => {
      let buffer: RecordedEvent[] = [];
      try {
        for await (const resolved of stream) {
          if (stopping) break;
          const event = fromResolved(resolved);
          // The subscription starts after `from`; the check also guards a resend.
          if (
            event &&
            !isSystem(event) &&
            (!checkpoint || comparePositions(event.position, checkpoint) > 0)
          ) {
            buffer.push(event);
          }
          // Hand over a batch when it is full or nothing more is waiting.
          if (buffer.length > 0 && (buffer.length >= batchSize || stream.readableLength === 0)) {
            const batch = buffer;
            buffer = [];
            await handler(batch);
            checkpoint = batch[batch.length - 1].position;
          }
        }
      } catch (error) {
        if (!stopping) throw mapEsdbError(error);
      }
    };

    const done = loop();
    done.catch(() => undefined);
    return {
      done,
      stop: async () => {
        stopping = true;
        await stream.unsubscribe();
        try {
          await done;
        } catch {
          // Reported through `done`.
        }
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
