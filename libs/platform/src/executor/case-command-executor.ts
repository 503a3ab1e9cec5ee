import {
  CURRENT_SCHEMA_VERSION,
  DomainError,
  businessDateAt,
  caseStreamId,
  defaultPolicy,
  notFound,
  type Actor,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
  type ContactPolicy,
} from '@caseledger/domain';
import {
  ConcurrencyError,
  type EventStore,
  type IdempotencyRecord,
  type NewEvent,
  type RecordedEvent,
} from '@caseledger/event-store';
import type { Clock } from '../clock/clock';
import type { CommandObserver } from '../metrics/command-metrics';
import {
  applyEvents,
  foldRecorded,
  runDecide,
  toDomainEvent,
  type PolicyLookup,
} from './domain-bridge';
import { eventIdFor } from './deterministic-id';
import { IdempotencyKeyReusedError, StaleRevisionError } from './executor.errors';

export interface ExecuteInput {
  caseId: string;
  command: CaseCommand;
  actor: Actor;
  /** Idempotency: the same command id never appends twice (event ids derive from it). */
  commandId: string;
  correlationId: string;
  /** Defaults to the command id (the request is the cause). */
  causationId?: string;
  /** `If-Match`: the revision the caller read; a different current revision is 412, with no retry. */
  expectedRevision?: number;
  /**
   * The Idempotency-Key the command came with: stored with its events in one
   * transaction (where the store can), and its request fingerprint in their
   * metadata, so a repeat with another request is refused however it lands.
   */
  idempotency?: IdempotencyRecord;
}

export interface ExecuteResult {
  caseId: string;
  /** The stream's revision after the command (-1: the stream does not exist). */
  revision: number;
  /** The events this command produced (or had produced, for a repeated command id). */
  events: CaseEvent[];
  state: CaseState;
  /** True when the command id had already been applied: nothing new was appended. */
  repeated: boolean;
}

export interface ExecutorOptions {
  /** Re-reads after a concurrency conflict before giving up with 409 (STYLE.md 3). */
  maxAttempts?: number;
  /** Upper bound of the jittered pause between attempts. */
  maxBackoffMs?: number;
  /**
   * Streams whose folded state is kept between commands (least recently used
   * first out; 0 turns the cache off). A cached stream is still read on every
   * command, but only from its cached revision on: see `load`.
   */
  stateCacheSize?: number;
}

/** A stream folded up to `revision`, whose event there had id `eventId`. */
interface FoldedStream {
  revision: number;
  eventId: string;
  state: CaseState;
  /** Every command id that produced an event at or below `revision`. */
  commandIds: ReadonlySet<string>;
}

/** What one attempt reads: the state at `revision`, and a repeated command's own events. */
interface Loaded {
  revision: number;
  state: CaseState;
  earlier: RecordedEvent[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The command path shared by the API's handlers and the worker's job processors:
 * read `case-<id>`, upcast and fold, compute today in the area's zone, `decide`,
 * append at the revision read. A concurrent writer makes the append fail with
 * ConcurrencyError; the executor then re-reads and decides again (the rules are
 * judged against the newest state), a bounded number of times.
 */
export class CaseCommandExecutor {
  private readonly maxAttempts: number;
  private readonly maxBackoffMs: number;
  private readonly cacheSize: number;
  private readonly folded = new Map<string, FoldedStream>();

  constructor(
    private readonly store: EventStore,
    private readonly policyOf: PolicyLookup,
    private readonly clock: Clock,
    private readonly observer?: CommandObserver,
    options: ExecutorOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.maxBackoffMs = options.maxBackoffMs ?? 25;
    this.cacheSize = Math.max(0, options.stateCacheSize ?? 2_000);
  }

  /**
   * Commands on one stream run one after another inside this process: N
   * concurrent writers of one case would otherwise read the same revision and
   * all but one would conflict and retry (in lockstep, starving each other).
   * The store's optimistic check stays the judge of races between processes.
   * Maps a stream to the tail of its queue; dropped once the queue is empty.
   */
  private readonly lanes = new Map<string, Promise<unknown>>();

  execute(input: ExecuteInput): Promise<ExecuteResult> {
    const streamId = caseStreamId(input.caseId);
    const previous = this.lanes.get(streamId);
    const run = previous
      ? previous.then(
          () => this.executeNow(input),
          () => this.executeNow(input),
        )
      : this.executeNow(input);
    this.lanes.set(streamId, run);
    const release = (): void => {
      if (this.lanes.get(streamId) === run) this.lanes.delete(streamId);
    };
    run.then(release, release);
    return run;
  }

  private async executeNow(input: ExecuteInput): Promise<ExecuteResult> {
    const type = input.command.type;
    try {
      const result = await this.attempt(input);
      this.observer?.commandHandled(
        type,
        result.repeated || result.events.length === 0 ? 'unchanged' : 'accepted',
      );
      return result;
    } catch (error) {
      if (error instanceof StaleRevisionError) this.observer?.commandHandled(type, 'stale');
      else if (error instanceof ConcurrencyError)
        this.observer?.commandHandled(type, 'conflict', error.ruleId);
      else if (error instanceof DomainError)
        this.observer?.commandHandled(type, 'refused', error.ruleId);
      else this.observer?.commandHandled(type, 'error');
      throw error;
    }
  }

  private async attempt(input: ExecuteInput): Promise<ExecuteResult> {
    const streamId = caseStreamId(input.caseId);
    let lastConflict: ConcurrencyError | undefined;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const { revision, state, earlier } = await this.load(streamId, input.commandId);
      if (earlier.length > 0) {
        const firstHash = earlier[0].metadata.requestHash;
        if (
          input.idempotency &&
          firstHash !== undefined &&
          firstHash !== input.idempotency.requestHash
        ) {
          throw new IdempotencyKeyReusedError(input.caseId);
        }
        return {
          caseId: input.caseId,
          revision: earlier[earlier.length - 1].revision,
          events: earlier.map(toCaseEvent),
          state,
          repeated: true,
        };
      }
      if (input.expectedRevision !== undefined && input.expectedRevision !== revision) {
        throw new StaleRevisionError(input.caseId, input.expectedRevision, revision);
      }
      if (revision < 0 && input.command.type !== 'OpenCase') {
        throw notFound(`case ${input.caseId} does not exist`, ['caseId']);
      }

      const policy = this.policyFor(input.command, state);
      const today = businessDateAt(this.clock.now(), policy.timeZone);
      const events = runDecide(input.command, state, {
        policy,
        policyOf: this.policyOf,
        today,
        actor: input.actor,
      });
      if (events.length === 0) {
        return { caseId: input.caseId, revision, events, state, repeated: false };
      }

      const newEvents: NewEvent[] = events.map((event, index) => ({
        eventId: eventIdFor(input.commandId, index),
        type: event.type,
        data: event.data,
        metadata: {
          commandId: input.commandId,
          correlationId: input.correlationId,
          causationId: input.causationId ?? input.commandId,
          actor: {
            staffId: input.actor.staffId,
            role: input.actor.role,
            careerCenterId: input.actor.careerCenterId,
          },
          schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
          ...(input.idempotency ? { requestHash: input.idempotency.requestHash } : {}),
        },
      }));
      const started = process.hrtime.bigint();
      try {
        const appended = await this.store.append(
          streamId,
          newEvents,
          revision < 0 ? 'no-stream' : revision,
          input.idempotency ? { idempotency: input.idempotency } : {},
        );
        this.observer?.appendObserved(Number(process.hrtime.bigint() - started) / 1e9);
        // The fold remembers each fact's event id, so later decisions can name it.
        const after = applyEvents(
          state,
          events.map((event, index) => ({ ...event, eventId: newEvents[index].eventId })),
        );
        this.remember(
          streamId,
          {
            revision: appended.nextRevision,
            eventId: newEvents[newEvents.length - 1].eventId,
            state: after,
            commandIds: new Set([
              ...(this.folded.get(streamId)?.commandIds ?? []),
              input.commandId,
            ]),
          },
          revision,
        );
        return {
          caseId: input.caseId,
          revision: appended.nextRevision,
          events,
          state: after,
          repeated: false,
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (input.expectedRevision !== undefined) {
          throw new StaleRevisionError(input.caseId, input.expectedRevision, revision + 1);
        }
        lastConflict = error;
        this.observer?.conflictRetried?.(input.command.type);
        // Writers that collided re-read at once and would collide again in
        // lockstep: a short jittered back-off spreads them out.
        await sleep(Math.random() * Math.min(this.maxBackoffMs, 2 ** attempt));
      }
    }
    throw lastConflict ?? new ConcurrencyError(streamId, 'unknown', 'unknown');
  }

  /**
   * The stream's current state. Events are immutable and a stream only grows,
   * so a state folded up to revision r plus the events after r is the state a
   * full read would fold: a cached stream is read from r on. The event at r
   * comes back too and must be the one the cache saw (same id); if it is not
   * (a store reset under a long-lived process), the cache entry is dropped and
   * the stream read whole. The store stays the judge of concurrency: the
   * append still names the revision read here.
   */
  private async load(streamId: string, commandId: string): Promise<Loaded> {
    const cached = this.folded.get(streamId);
    // A repeated command id needs its own events back: the cold path has them.
    if (cached && !cached.commandIds.has(commandId)) {
      const tail = await this.store.readStream(streamId, { fromRevision: cached.revision });
      const anchor = tail[0];
      if (anchor && anchor.revision === cached.revision && anchor.eventId === cached.eventId) {
        const fresh = tail.slice(1);
        const earlier = fresh.filter((e) => e.metadata.commandId === commandId);
        if (fresh.length === 0) {
          this.remember(streamId, cached); // most recently used again
          return { revision: cached.revision, state: cached.state, earlier };
        }
        const state = applyEvents(cached.state, fresh.map(toDomainEvent));
        const last = fresh[fresh.length - 1];
        const commandIds = new Set(cached.commandIds);
        for (const e of fresh) commandIds.add(e.metadata.commandId);
        this.remember(streamId, {
          revision: last.revision,
          eventId: last.eventId,
          state,
          commandIds,
        });
        return { revision: last.revision, state, earlier };
      }
      this.folded.delete(streamId);
    }
    const recorded = await this.store.readStream(streamId);
    const state = foldRecorded(recorded);
    const earlier = recorded.filter((e) => e.metadata.commandId === commandId);
    const last = recorded[recorded.length - 1];
    if (!last) return { revision: -1, state, earlier };
    this.remember(streamId, {
      revision: last.revision,
      eventId: last.eventId,
      state,
      commandIds: new Set(recorded.map((e) => e.metadata.commandId)),
    });
    return { revision: last.revision, state, earlier };
  }

  /** Keeps the newest fold of a stream; `from`, when given, is the revision it was built on. */
  private remember(streamId: string, entry: FoldedStream, from?: number): void {
    if (this.cacheSize === 0) return;
    const current = this.folded.get(streamId);
    // A concurrent command may have cached a newer revision meanwhile; keep it.
    if (current && current.revision > entry.revision) return;
    // The id set is only complete when built on the cached fold it extends.
    if (from !== undefined && (!current || current.revision !== from)) {
      if (current) this.folded.delete(streamId);
      return;
    }
    this.folded.delete(streamId);
    this.folded.set(streamId, entry);
    if (this.folded.size > this.cacheSize) {
      const oldest = this.folded.keys().next().value;
      if (oldest !== undefined) this.folded.delete(oldest);
    }
  }

  private policyFor(command: CaseCommand, state: CaseState): ContactPolicy {
    const localAreaId = command.type === 'OpenCase' ? command.data.localAreaId : state.localAreaId;
    const policy = this.policyOf(localAreaId);
    if (policy) return policy;
    // R2 v2: a new case in an unknown area is refused, never given a default policy.
    if (command.type === 'OpenCase')
      throw new DomainError(
        'R2',
        'rule',
        `unknown local area ${String(localAreaId)}: no contact policy is configured for it`,
        ['localAreaId'],
      );
    // A stream opened before R2 v2 in an area no longer configured keeps working:
    // its deadlines come from the terms in its stream; only the zone and the
    // command-time limits fall back to the statewide baseline.
    return defaultPolicy(localAreaId);
  }
}

const toCaseEvent = (e: RecordedEvent): CaseEvent => ({ type: e.type, data: e.data }) as CaseEvent;
