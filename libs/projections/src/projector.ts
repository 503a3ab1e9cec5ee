import {
  START,
  comparePositions,
  isDatabaseUnavailable,
  type ParkedEvent,
  type ParkedEventRetrier,
  type ParkedEvents,
  positionToString,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@caseledger/event-store';
import type { SqlClient } from '@caseledger/event-store';
import { lockCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoints';
import type { Projection } from './projection';

export interface BatchResult {
  /** The checkpoint after the batch. */
  position: Position;
  /** Events above the previous checkpoint (the others were already applied). */
  applied: number;
  rowsWritten: number;
}

/** Where a projector parks the events it cannot apply (see ParkedEvents). */
export interface ProjectionParking {
  parked: ParkedEvents;
  /** The consumer name the parked rows carry (the projection's name). */
  consumer: string;
}

/**
 * Applies one batch in ONE transaction that also moves the checkpoint (STYLE.md
 * 4). Events at or below the stored checkpoint are dropped first, and each row
 * also remembers its own position, so a replayed batch changes nothing. With
 * `parking`, the events of streams that already have a parked event are parked
 * behind it in the same transaction instead of applied (never out of order).
 */
export async function applyProjectionBatch(
  sql: SqlClient,
  projection: Projection,
  table: string,
  events: readonly RecordedEvent[],
  cache?: Map<string, unknown>,
  parking?: ProjectionParking,
): Promise<BatchResult> {
  return sql.transaction(async (tx) => {
    const checkpoint = await lockCheckpoint(tx, table);
    const fresh = events.filter((e) => comparePositions(e.position, checkpoint) > 0);
    const last = fresh[fresh.length - 1];
    if (last === undefined) return { position: checkpoint, applied: 0, rowsWritten: 0 };
    let apply = fresh;
    // Read under the checkpoint's lock, which a retry also takes: never stale.
    const held = parking ? await parking.parked.parkedStreams(tx, parking.consumer) : undefined;
    if (parking && held && held.size > 0) {
      apply = [];
      for (const event of fresh) {
        if (held.has(event.streamId)) {
          await parking.parked.park(
            tx,
            parking.consumer,
            event,
            new Error('held: an earlier event of this stream is parked'),
          );
        } else apply.push(event);
      }
    }
    const rowsWritten = apply.length > 0 ? await projection.applyBatch(tx, table, apply, cache) : 0;
    await writeCheckpoint(tx, table, last.position, apply.length);
    return { position: last.position, applied: apply.length, rowsWritten };
  });
}

/** Errors worth another try before an event is called poison (a deadlock, a serialization failure). */
const TRANSIENT_CODES = new Set(['40P01', '40001']);

/**
 * Re-applies parked events of one stream through the projection, oldest first:
 * each in one transaction with the removal of its parked row, under the
 * checkpoint's lock (so never beside a live batch). Throws at the first that
 * fails again, leaving it and the later ones parked.
 */
export function projectionRetrier(
  sql: SqlClient,
  projection: Projection,
  table: string = projection.table,
): ParkedEventRetrier {
  return {
    consumer: projection.name,
    async retryStream(events, parked) {
      const streamId = events[0]?.streamId;
      if (streamId === undefined) return;
      // Until none is left: the live projector may park more behind them meanwhile.
      for (let round = 0; round < 100; round++) {
        const left = (await parked.list({ consumer: projection.name })).filter(
          (e) => e.streamId === streamId,
        );
        if (left.length === 0) return;
        for (const entry of left) {
          await sql.transaction(async (tx) => {
            await lockCheckpoint(tx, table);
            if (!(await parked.remove(tx, entry.id))) return; // retried by someone else meanwhile
            await projection.applyBatch(tx, table, [entry.event]);
          });
        }
      }
    },
  };
}

export interface ProjectionLag {
  projection: string;
  /** The position the read model was built to (`commit/prepare`). */
  position: string;
  /** The newest event in the store (`commit/prepare`), or null on an empty store. */
  head: string | null;
  /** Events in the store after `position` (counted up to `countLimit`). */
  eventsBehind: number;
  /** True when more than `countLimit` events are behind (eventsBehind is a floor). */
  eventsBehindAtLeast: boolean;
}

/**
 * Events behind the head of the store. Counting is a bounded read after the
 * checkpoint: the port has no count, and positions are not event numbers on
 * every adapter (EventStoreDB's are log offsets).
 */
export async function measureLag(
  store: EventStore,
  projection: string,
  position: Position,
  countLimit = 10_000,
): Promise<ProjectionLag> {
  const head = await store.headPosition();
  const base = {
    projection,
    position: positionToString(position),
    head: head ? positionToString(head) : null,
  };
  if (!head || comparePositions(position, head) >= 0) {
    return { ...base, eventsBehind: 0, eventsBehindAtLeast: false };
  }
  let counted = 0;
  let from = position;
  while (counted < countLimit) {
    const page = await store.readAll(
      comparePositions(from, START) === 0 ? undefined : from,
      Math.min(1000, countLimit - counted),
    );
    const last = page[page.length - 1];
    if (last === undefined) break;
    counted += page.length;
    from = last.position;
    if (comparePositions(from, head) >= 0) break;
  }
  return { ...base, eventsBehind: counted, eventsBehindAtLeast: counted >= countLimit };
}

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface ProjectorOptions {
  /** The table to build (the live table unless a rebuild builds a shadow). */
  table?: string;
  batchSize?: number;
  /** Wait before re-subscribing after a failed batch. */
  retryDelayMs?: number;
  logger?: ProjectorLogger;
  /** Called after each committed batch (metrics, tests). */
  onBatch?: (result: BatchResult) => void;
  /**
   * Park what cannot be applied instead of stopping (the worker's projector):
   * a batch that fails for any reason but an unreachable database is applied
   * event by event, and an event that fails alone is parked, the checkpoint
   * moving past it. Without it a failed batch is retried from the checkpoint.
   */
  parking?: ProjectionParking;
  /** Called when an event is parked (metrics, logs). */
  onParked?: (event: RecordedEvent, error: unknown) => void;
}

/**
 * The worker side's runner: subscribes from the stored checkpoint, applies
 * batches, and re-subscribes from the stored checkpoint after a failure (a
 * failed batch rolled back, so nothing is lost or applied twice).
 */
export class Projector {
  private subscription: Subscription | undefined;
  private running = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private position: Position = START;
  private readonly table: string;
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private lastError: unknown;

  constructor(
    private readonly sql: SqlClient,
    private readonly store: EventStore,
    readonly projection: Projection,
    private readonly options: ProjectorOptions = {},
  ) {
    this.table = options.table ?? projection.table;
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The last error that stopped a subscription (cleared by a successful batch). */
  get error(): unknown {
    return this.lastError;
  }

  currentPosition(): Position {
    return this.position;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.subscribe();
  }

  private async subscribe(): Promise<void> {
    this.retryTimer = undefined;
    if (!this.running) return;
    const from = await readCheckpoint(this.sql, this.table);
    this.position = from;
    const subscription = this.store.subscribe((events) => this.handle(events), {
      from: comparePositions(from, START) === 0 ? undefined : from,
      batchSize: this.batchSize,
    });
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        this.lastError = error;
        if (!this.running || this.subscription !== subscription) return;
        this.options.logger?.error(
          `projection ${this.projection.name}: batch failed at ${positionToString(this.position)}; resubscribing from the checkpoint`,
          error,
        );
        this.subscription = undefined;
        this.retryTimer = setTimeout(() => {
          this.subscribe().catch((e: unknown) => {
            this.options.logger?.error(`projection ${this.projection.name}: resubscribe failed`, e);
            this.retryTimer = setTimeout(
              () => void this.subscribe().catch(() => undefined),
              this.retryDelayMs,
            );
          });
        }, this.retryDelayMs);
      },
    );
  }

  private async handle(events: RecordedEvent[]): Promise<void> {
    const parking = this.options.parking;
    if (!parking) {
      const result = await applyProjectionBatch(this.sql, this.projection, this.table, events);
      this.position = result.position;
      this.lastError = undefined;
      this.options.onBatch?.(result);
      return;
    }
    try {
      const result = await applyProjectionBatch(
        this.sql,
        this.projection,
        this.table,
        events,
        undefined,
        parking,
      );
      this.position = result.position;
      this.lastError = undefined;
      this.options.onBatch?.(result);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error; // not the events' fault: retry from the checkpoint
      await this.applyOneByOne(events, parking);
    }
  }

  /** A batch failed: find the event(s) that cannot be applied, park them, apply the rest. */
  private async applyOneByOne(
    events: readonly RecordedEvent[],
    parking: ProjectionParking,
  ): Promise<void> {
    for (const event of events) {
      let lastError: unknown;
      let applied = false;
      for (let attempt = 0; attempt < 3 && !applied; attempt++) {
        try {
          const result = await applyProjectionBatch(
            this.sql,
            this.projection,
            this.table,
            [event],
            undefined,
            parking,
          );
          this.position = result.position;
          this.options.onBatch?.(result);
          applied = true;
        } catch (error) {
          if (isDatabaseUnavailable(error)) throw error;
          lastError = error;
          if (!TRANSIENT_CODES.has((error as { code?: string }).code ?? '')) break;
        }
      }
      if (applied) continue;
      await this.sql.transaction(async (tx) => {
        const checkpoint = await lockCheckpoint(tx, this.table);
        if (comparePositions(event.position, checkpoint) <= 0) return;
        await parking.parked.park(tx, parking.consumer, event, lastError);
        await writeCheckpoint(tx, this.table, event.position, 0);
      });
      this.position = event.position;
      this.options.logger?.error(
        `projection ${this.projection.name}: parked ${event.type} ${event.streamId}@${event.revision} (position ${positionToString(event.position)}); the other cases go on`,
        lastError,
      );
      this.options.onParked?.(event, lastError);
    }
    this.lastError = undefined;
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    if (subscription) {
      await subscription.stop();
      await subscription.done.catch(() => undefined);
    }
  }

  async lag(countLimit?: number): Promise<ProjectionLag> {
    const position = await readCheckpoint(this.sql, this.table);
    return measureLag(this.store, this.projection.name, position, countLimit);
  }

  /** Resolves once the stored checkpoint reaches `target` (default: the store's head now). */
  async waitUntilCaughtUp(target?: Position, pollMs = 25): Promise<void> {
    const goal = target ?? (await this.store.headPosition());
    if (!goal) return;
    for (;;) {
      const position = await readCheckpoint(this.sql, this.table);
      if (comparePositions(position, goal) >= 0) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

/**
 * The projection as a rebuild must run it while events are parked for it: a
 * parked stream is built up to its oldest parked event and no further, as the
 * live projector left it, so the parked events stay parked for a retry
 * (which applies them, in order, to the swapped-in table).
 */
export function skippingParked(projection: Projection, parked: readonly ParkedEvent[]): Projection {
  const from = new Map<string, Position>();
  for (const entry of parked) {
    if (entry.consumer !== projection.name) continue;
    const seen = from.get(entry.streamId);
    if (!seen || comparePositions(entry.position, seen) < 0)
      from.set(entry.streamId, entry.position);
  }
  if (from.size === 0) return projection;
  const keep = (event: RecordedEvent): boolean => {
    const first = from.get(event.streamId);
    return first === undefined || comparePositions(event.position, first) < 0;
  };
  const folderOf = projection.rebuildFolder?.bind(projection);
  return {
    ...projection,
    applyBatch: (tx, table, events, cache) =>
      projection.applyBatch(tx, table, events.filter(keep), cache),
    ...(folderOf
      ? {
          rebuildFolder: (sql, table) => {
            const folder = folderOf(sql, table);
            return {
              fold: (events, settled) => folder.fold(events.filter(keep), settled),
              takeChanged: () => folder.takeChanged(),
              trim: () => folder.trim(),
            };
          },
        }
      : {}),
  };
}
