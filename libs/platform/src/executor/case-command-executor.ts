import {
  DomainError,
  businessDateAt,
  caseStreamId,
  defaultPolicy,
  notFound,
  upcastRecorded,
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
  type RecordedEvent,
} from '@caseledger/event-store';
import type { Clock } from '../clock/clock';
import type { CommandObserver } from '../metrics/command-metrics';
import { applyEvents, foldRecorded, runDecide, type PolicyLookup } from './domain-bridge';
import { envelopes } from './envelope';
import { FoldCache, type FoldedStream } from './fold-cache';
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
   * first out; 0 turns the cache off). A cached stream is not read again: see `load`.
   */
  stateCacheSize?: number;
}

/** What one attempt reads: the state at `revision`, and a repeated command's own events. */
interface Loaded {
  revision: number;
  state: CaseState;
  earlier: RecordedEvent[];
  /** Taken from the fold cache without reading the store. */
  cached: boolean;
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
  private readonly folded: FoldCache;

  constructor(
    private readonly store: EventStore,
    private readonly policyOf: PolicyLookup,
    private readonly clock: Clock,
    private readonly observer?: CommandObserver,
    options: ExecutorOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.maxBackoffMs = options.maxBackoffMs ?? 25;
    this.folded = new FoldCache(Math.max(0, options.stateCacheSize ?? 2_000));
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
    return this.inLane(caseStreamId(input.caseId), () => this.executeNow(input));
  }

  /**
   * Many commands at once, usually on many cases (a batch of due deadlines):
   * the streams none of this process's commands is working on, and whose
   * fold is not cached, are read together in one `readStreams` round trip;
   * each command is then decided on its own case as `execute` decides it, and
   * their appends are issued in the same turn of the event loop, so a store
   * with group commit writes them in one transaction, each with its own
   * expected-revision check and hash chain. Every command gets its own
   * verdict: one conflict (re-read and retried alone, as in `execute`) or
   * refusal leaves the others as they are. A second command for a stream in
   * the same batch, or one for a stream with a command already running, waits
   * in that stream's lane as `execute` would.
   */
  executeMany(inputs: readonly ExecuteInput[]): Array<Promise<ExecuteResult>> {
    const leads: Array<{ index: number; streamId: string }> = [];
    const claimed = new Set<string>();
    const toRead: string[] = [];
    inputs.forEach((input, index) => {
      const streamId = caseStreamId(input.caseId);
      if (this.lanes.has(streamId) || claimed.has(streamId)) return;
      claimed.add(streamId);
      leads.push({ index, streamId });
      // A fold that is behind is read whole with the others (a batch read is one round trip anyway).
      if (!this.answersFromCache(streamId, input.commandId)) toRead.push(streamId);
    });
    const read: Promise<Map<string, RecordedEvent[]>> =
      toRead.length > 0
        ? this.store.readStreams(toRead)
        : Promise.resolve(new Map<string, RecordedEvent[]>());
    // Each command reports a failed read itself (and is retried by its caller).
    read.catch(() => undefined);
    const results: Array<Promise<ExecuteResult>> = [];
    for (const { index, streamId } of leads) {
      const input = inputs[index];
      results[index] = this.inLane(streamId, () =>
        this.executeNow(
          input,
          read.then((streams) => streams.get(streamId)),
        ),
      );
    }
    inputs.forEach((input, index) => {
      results[index] ??= this.execute(input);
    });
    return results;
  }

  /** Runs `work` after every command of this process already queued on the stream. */
  private inLane(streamId: string, work: () => Promise<ExecuteResult>): Promise<ExecuteResult> {
    const previous = this.lanes.get(streamId);
    const run = previous ? previous.then(work, work) : work();
    this.lanes.set(streamId, run);
    const release = (): void => {
      if (this.lanes.get(streamId) === run) this.lanes.delete(streamId);
    };
    run.then(release, release);
    return run;
  }

  private async executeNow(
    input: ExecuteInput,
    read?: Promise<RecordedEvent[] | undefined>,
  ): Promise<ExecuteResult> {
    const type = input.command.type;
    try {
      const result = await this.attempt(input, read);
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

  /** `read`: the stream as a batch read it, for this command's first attempt (undefined: not read). */
  private async attempt(
    input: ExecuteInput,
    read?: Promise<RecordedEvent[] | undefined>,
  ): Promise<ExecuteResult> {
    const streamId = caseStreamId(input.caseId);
    const batchRead = await read;
    let lastConflict: ConcurrencyError | undefined;
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const { revision, state, earlier, cached } =
        attempt === 0 && batchRead !== undefined
          ? this.loaded(streamId, batchRead, input.commandId)
          : await this.load(streamId, input.commandId);
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
          // Stored events upcast to the current schema, shaped as a first run returned them.
          events: earlier.map(asDecided),
          state,
          repeated: true,
        };
      }
      if (input.expectedRevision !== undefined && input.expectedRevision !== revision) {
        // A cached fold may be behind the store: only a fresh read may refuse with 412.
        if (cached) {
          this.folded.markBehind(streamId);
          continue;
        }
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

      const newEvents = envelopes(
        {
          commandId: input.commandId,
          correlationId: input.correlationId,
          ...(input.causationId !== undefined ? { causationId: input.causationId } : {}),
          actor: input.actor,
          ...(input.idempotency ? { requestHash: input.idempotency.requestHash } : {}),
        },
        events,
      );
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
        const commandIds = new Set(this.folded.get(streamId)?.commandIds ?? []);
        commandIds.add(input.commandId);
        this.folded.extend(streamId, revision, {
          revision: appended.nextRevision,
          eventId: newEvents[newEvents.length - 1].eventId,
          state: after,
          commandIds,
        });
        return {
          caseId: input.caseId,
          revision: appended.nextRevision,
          events,
          state: after,
          repeated: false,
        };
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        // The stream moved past the revision decided on (another process, or a
        // cached fold that was behind): the fold is still true up to that
        // revision, so the next attempt reads only the events after it.
        this.folded.markBehind(streamId);
        if (input.expectedRevision !== undefined) {
          throw new StaleRevisionError(input.caseId, input.expectedRevision, revision + 1);
        }
        lastConflict = error;
        this.observer?.conflictRetried?.(input.command.type);
        if (cached) continue; // a stale cache is no collision: re-read at once
        // Writers that collided re-read at once and would collide again in
        // lockstep: a short jittered back-off spreads them out.
        await sleep(Math.random() * Math.min(this.maxBackoffMs, 2 ** attempt));
      }
    }
    throw lastConflict ?? new ConcurrencyError(streamId, 'unknown', 'unknown');
  }

  /**
   * The stream's state. Events are immutable and a stream only grows, so a
   * cached fold is the truth up to its revision, and this process's own
   * commands on a case run one after another (see `execute`): a cached fold
   * is used as it is, with no read. Whether it is still the newest is judged
   * by the store at the append, which names the cached revision as expected;
   * on a ConcurrencyError the entry is marked behind and the next load reads
   * only the events after its revision, folding them onto it (another API
   * process or a job moved the case on: a few events, not the whole stream).
   * A command id the cache has not seen cannot be in the stream up to the
   * cached revision; one appended after it (another process) makes the append
   * conflict and the catch-up read finds it, whole: a command's events are
   * appended together. A repeated command id the cache has seen needs its own
   * events back: the whole read has them.
   */
  private async load(streamId: string, commandId: string): Promise<Loaded> {
    const cached = this.folded.get(streamId);
    if (cached && !cached.commandIds.has(commandId)) {
      if (!cached.behind)
        return { revision: cached.revision, state: cached.state, earlier: [], cached: true };
      // Behind: only the events after its revision are read, and folded onto it.
      const tail = await this.store.readStream(streamId, { fromRevision: cached.revision + 1 });
      return this.loaded(streamId, tail, commandId, cached);
    }
    return this.loaded(streamId, await this.store.readStream(streamId), commandId);
  }

  /** Whether the cached fold answers for `commandId` with no read at all (see `load`). */
  private answersFromCache(streamId: string, commandId: string): boolean {
    const cached = this.folded.get(streamId);
    return cached !== undefined && !cached.behind && !cached.commandIds.has(commandId);
  }

  /**
   * Events as read — a whole stream, or with `onto` the events after that
   * fold (a catch-up read) — folded, cached, and a repeated command's own
   * events picked out.
   */
  private loaded(
    streamId: string,
    recorded: RecordedEvent[],
    commandId: string,
    onto?: FoldedStream,
  ): Loaded {
    const state = foldRecorded(recorded, onto?.state);
    const earlier = recorded.filter((e) => e.metadata.commandId === commandId);
    const last = recorded[recorded.length - 1];
    const head = last ?? onto;
    if (!head) return { revision: -1, state, earlier, cached: false };
    const commandIds = new Set(onto?.commandIds);
    for (const event of recorded) commandIds.add(event.metadata.commandId);
    // Nothing after a fold that was behind (the conflict's writer rolled back): it is current.
    this.folded.put(streamId, {
      revision: head.revision,
      eventId: head.eventId,
      state,
      commandIds,
    });
    return { revision: head.revision, state, earlier, cached: false };
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

/** A stored event as `decide` returned it: upcast to the current schema, without the fold's event id. */
function asDecided(recorded: RecordedEvent): CaseEvent {
  const { type, data } = upcastRecorded(recorded);
  return { type, data } as CaseEvent;
}
