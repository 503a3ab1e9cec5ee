import { Logger } from '@nestjs/common';
import { caseStreamId } from '@caseledger/domain';
import type { EventStore, Position, RecordedEvent, Subscription } from '@caseledger/event-store';
import { foldRecorded } from '@caseledger/platform';
import { forEachLimit } from './concurrency';
import type { DeadlineScheduler } from './deadline-queue';
import { desiredJobs, movesDeadlines, viewOfState, type TimeZoneOf } from './desired-deadlines';
import type { ReactorCheckpoints } from './reactor-checkpoint';

export interface DeadlineReactorOptions {
  /** The checkpoint's name (one per reactor). */
  name?: string;
  batchSize?: number;
  /** Cases reconciled in parallel within a batch. */
  concurrency?: number;
  /** Wait before resubscribing after a failure (Redis or the store down). */
  retryDelayMs?: number;
}

const CASE_STREAM_PREFIX = caseStreamId('');

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

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: ReactorCheckpoints,
    private readonly scheduler: DeadlineScheduler,
    private readonly timeZoneOf: TimeZoneOf,
    options: DeadlineReactorOptions = {},
  ) {
    this.name = options.name ?? 'deadline-reactor';
    this.batchSize = options.batchSize ?? 500;
    this.concurrency = options.concurrency ?? 16;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
  }

  /** The position of the last batch whose jobs are in Redis (undefined before the first). */
  get processedUpTo(): Position | undefined {
    return this.position;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
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
    for (const event of events) {
      if (event.streamId.startsWith(CASE_STREAM_PREFIX) && movesDeadlines(event.type)) {
        caseIds.add(event.streamId.slice(CASE_STREAM_PREFIX.length));
      }
    }
    await forEachLimit([...caseIds], this.concurrency, (caseId) => this.reconcileCase(caseId));
    await this.checkpoints.save(this.name, last.position);
    this.position = last.position;
  }

  /** The case as its stream says now (which may be ahead of the batch: newer is fine). */
  async reconcileCase(caseId: string): Promise<void> {
    const recorded = await this.store.readStream(caseStreamId(caseId));
    if (recorded.length === 0) return;
    const state = foldRecorded(recorded);
    await this.scheduler.reconcile(
      caseId,
      desiredJobs(viewOfState(state), this.timeZoneOf),
      'reactor',
    );
  }
}
