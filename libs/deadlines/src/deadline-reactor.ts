import { Logger } from '@nestjs/common';
import { caseStreamId, type CaseEventType } from '@caseledger/domain';
import type {
  EventStore,
  ParkedEventRetrier,
  ParkedEvents,
  Position,
  RecordedEvent,
  SqlExecutor,
  Subscription,
} from '@caseledger/event-store';
import { foldRecorded } from '@caseledger/platform';
import { forEachLimit } from './concurrency';
import { DEADLINE_KINDS, deadlineJobId } from './deadline-kind';
import type { DeadlineScheduler } from './deadline-queue';
import {
  desiredJobs,
  movesDeadlines,
  viewOfState,
  type DesiredJobs,
  type TimeZoneOf,
} from './desired-deadlines';
import type { ReactorCheckpoints } from './reactor-checkpoint';

export interface DeadlineReactorOptions {
  /** The checkpoint's name (one per reactor). */
  name?: string;
  batchSize?: number;
  /** Cases reconciled in parallel within a batch. */
  concurrency?: number;
  /** Wait before resubscribing after a failure (Redis or the store down). */
  retryDelayMs?: number;
  /**
   * Park a case whose stream cannot be turned into deadlines (its fold or its
   * deadline arithmetic throws) instead of stopping: the batch goes on for the
   * other cases. I/O failures (the store, Redis) are never parked: the batch
   * is retried from the checkpoint.
   */
  parking?: { parked: ParkedEvents; sql: SqlExecutor };
  /** Called when an event is parked (metrics, logs). */
  onParked?: (event: RecordedEvent, error: unknown) => void;
}

/** A case's own events cannot be derived into deadlines: its fault, not the infrastructure's. */
export class PoisonedCaseError extends Error {
  constructor(
    readonly caseId: string,
    cause: unknown,
  ) {
    super(
      `case ${caseId}: its stream cannot be turned into deadlines: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'PoisonedCaseError';
  }
}

const CASE_STREAM_PREFIX = caseStreamId('');

/**
 * Events after which a case has no deadline ever again (R17 v2: CLOSED is the
 * only terminal state; a soft-exited case keeps its R19/R20 follow-up).
 */
const TERMINAL_EVENTS: ReadonlySet<string> = new Set<CaseEventType>(['CaseClosed']);

/** Cases of a batch whose streams are read in one round trip. */
const READ_CHUNK = 250;

/** Job ids whose last reconciliation this reactor remembers (cleared past this many). */
const MEMO_LIMIT = 200_000;

/** What the reactor last left in Redis for a job id: '' for no job. */
const fingerprint = (want: DesiredJobs[keyof DesiredJobs]): string =>
  want === null ? '' : `${want.dueOn}|${want.fireAt}|${want.timeZone}`;

/**
 * DESIGN.md "Deadlines are derived, timers are hints": the reactor follows the
 * event store's catch-up subscription (never the in-process event bus, which
 * loses what happened while the process was down) and keeps each case's
 * BullMQ jobs in line with the deadlines of its folded stream. The checkpoint
 * is written after the batch's jobs are in Redis, so a crash replays a batch
 * (reconciling is idempotent) and never skips one.
 */
export class DeadlineReactor {
  private readonly logger = new Logger('DeadlineReactor');
  private readonly name: string;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly retryDelayMs: number;
  private subscription: Subscription | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private position: Position | undefined;
  /**
   * Job id -> what this reactor last made Redis hold for it. An event that
   * moves no deadline of a kind then costs no Redis call for that kind (a soft
   * exit removes its own job, not the two the case never had). Redis can still
   * lose or fail a job behind the reactor's back: the sweep re-derives every
   * open deadline from the read model (DESIGN.md "timers are hints").
   */
  private readonly memo = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: ReactorCheckpoints,
    private readonly scheduler: DeadlineScheduler,
    private readonly timeZoneOf: TimeZoneOf,
    private readonly options: DeadlineReactorOptions = {},
  ) {
    this.name = options.name ?? 'deadline-reactor';
    this.batchSize = options.batchSize ?? 500;
    this.concurrency = options.concurrency ?? 16;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  /** Redis lost its jobs (a wipe was detected): what the reactor remembers of them is void. */
  forgetJobs(): void {
    this.memo.clear();
  }

  /** The position of the last batch whose jobs are in Redis (undefined before the first). */
  get processedUpTo(): Position | undefined {
    return this.position;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // Another process may have led meanwhile: remember nothing from before.
    this.memo.clear();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.subscription?.stop();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        const from = await this.checkpoints.load(this.name);
        this.position = from;
        this.subscription = this.store.subscribe((batch) => this.handle(batch), {
          from,
          batchSize: this.batchSize,
        });
        await this.subscription.done;
      } catch (error) {
        this.logger.error(
          `deadline reactor stopped, resuming from its checkpoint: ${String(error)}`,
        );
      }
      if (!this.stopped) await this.pause(this.retryDelayMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** One batch: reconcile every case whose deadlines an event may have moved, then checkpoint. */
  async handle(events: readonly RecordedEvent[]): Promise<void> {
    const last = events[events.length - 1];
    if (!last) return;
    const caseIds = new Set<string>();
    const ended = new Set<string>();
    /** The case's newest event in the batch: the one parked if the case cannot be reconciled. */
    const newest = new Map<string, RecordedEvent>();
    for (const event of events) {
      if (event.streamId.startsWith(CASE_STREAM_PREFIX) && movesDeadlines(event.type)) {
        const caseId = event.streamId.slice(CASE_STREAM_PREFIX.length);
        caseIds.add(caseId);
        newest.set(caseId, event);
        if (TERMINAL_EVENTS.has(event.type)) ended.add(caseId);
      }
    }
    const reconcile = async (caseId: string, streams?: Map<string, RecordedEvent[]>) => {
      try {
        if (ended.has(caseId)) await this.reconcileEnded(caseId);
        else await this.reconcileFrom(caseId, streams!.get(caseStreamId(caseId)) ?? []);
      } catch (error) {
        const parking = this.options.parking;
        if (!parking || !(error instanceof PoisonedCaseError)) throw error;
        const event = newest.get(caseId)!;
        await parking.parked.park(parking.sql, this.name, event, error.cause);
        this.logger.error(
          `parked ${event.type} ${event.streamId}@${event.revision} for ${this.name}; the other cases go on: ${error.message}`,
        );
        this.options.onParked?.(event, error.cause);
      }
    };
    await forEachLimit([...ended], this.concurrency, (caseId) => reconcile(caseId));
    // The other cases' streams are read a chunk at a time, one round trip per
    // chunk (the next chunk's read overlaps this one's Redis calls).
    const open = [...caseIds].filter((caseId) => !ended.has(caseId));
    const chunks: string[][] = [];
    for (let i = 0; i < open.length; i += READ_CHUNK) chunks.push(open.slice(i, i + READ_CHUNK));
    const readChunk = (chunk: string[]) => this.store.readStreams(chunk.map(caseStreamId));
    let next = chunks.length > 0 ? readChunk(chunks[0]) : undefined;
    for (let i = 0; i < chunks.length; i++) {
      const streams = await next!;
      next = i + 1 < chunks.length ? readChunk(chunks[i + 1]) : undefined;
      // A failed prefetch is reported when its chunk's turn comes (or the batch failed already).
      next?.catch(() => undefined);
      await forEachLimit(chunks[i], this.concurrency, (caseId) => reconcile(caseId, streams));
    }
    await this.checkpoints.save(this.name, last.position);
    this.position = last.position;
  }

  /** The case as its stream says now (which may be ahead of the batch: newer is fine). */
  async reconcileCase(caseId: string): Promise<void> {
    await this.reconcileFrom(caseId, await this.store.readStream(caseStreamId(caseId)));
  }

  /** Reconciles the case's jobs with its whole stream `recorded`. */
  private async reconcileFrom(caseId: string, recorded: readonly RecordedEvent[]): Promise<void> {
    if (recorded.length === 0) return;
    let desired: DesiredJobs;
    try {
      desired = desiredJobs(viewOfState(foldRecorded(recorded)), this.timeZoneOf);
    } catch (error) {
      // Pure code failed on this case's events (no I/O above can throw here).
      throw new PoisonedCaseError(caseId, error);
    }
    await this.apply(caseId, desired);
  }

  /** The reactor's retry of parked events: reconcile the case from its whole stream again. */
  retrier(): ParkedEventRetrier {
    return {
      consumer: this.name,
      retryStream: async (events, parked) => {
        const first = events[0];
        if (!first) return;
        await this.reconcileCase(first.streamId.slice(CASE_STREAM_PREFIX.length));
        for (const event of events) await parked.remove(parked.executor, event.id);
      },
    };
  }

  /**
   * R17: a closed case accepts no further command (`decide` appends nothing
   * to it), so once such an event is in the batch the stream can only say
   * "no clocks": its jobs go without reading the stream again.
   */
  private reconcileEnded(caseId: string): Promise<void> {
    return this.apply(caseId, { 'soft-exit': null, 'contact-due': null, 'follow-up': null });
  }

  private async apply(caseId: string, desired: DesiredJobs): Promise<void> {
    const changed: Partial<DesiredJobs> = {};
    for (const kind of DEADLINE_KINDS) {
      if (this.memo.get(deadlineJobId(kind, caseId)) !== fingerprint(desired[kind])) {
        changed[kind] = desired[kind];
      }
    }
    if (Object.keys(changed).length === 0) return;
    const actions = await this.scheduler.reconcile(caseId, changed, 'reactor');
    if (this.memo.size > MEMO_LIMIT) this.memo.clear();
    for (const kind of DEADLINE_KINDS) {
      if (!(kind in changed)) continue;
      const id = deadlineJobId(kind, caseId);
      // A running job ('busy') is re-derived by its processor: not known, so asked again next time.
      if (actions[kind] === 'busy') this.memo.delete(id);
      else this.memo.set(id, fingerprint(desired[kind]));
    }
  }
}
