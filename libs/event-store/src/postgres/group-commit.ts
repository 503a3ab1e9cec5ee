/**
 * Group commit's scheduler (DESIGN.md "Known ground": group commit): appends
 * that arrive while a batch is being written are gathered into the next one.
 * With no batch in flight the first append goes on the next turn of the event
 * loop (a lone writer pays no wait); otherwise a batch waits up to `maxWaitMs`
 * for companions, or goes at once when it is full.
 */
export interface GroupCommitOptions {
  /** Largest number of appends written in one transaction (default 128). */
  maxBatchSize?: number;
  /**
   * How long a batch may wait for companions while another batch is already
   * being written (default 1 ms). With no batch in flight, the first append
   * goes at once: a lone writer pays no wait.
   */
  maxWaitMs?: number;
  /** Batches written concurrently (default 4 on PostgreSQL; 1 on PGlite, which has one connection). */
  maxInFlight?: number;
}

export function groupCommitSettings(
  group: boolean | GroupCommitOptions,
  dialect: 'postgres' | 'pglite',
): Required<GroupCommitOptions> | undefined {
  if (group === false) return undefined;
  const options = group === true ? {} : group;
  return {
    maxBatchSize: options.maxBatchSize ?? 128,
    maxWaitMs: options.maxWaitMs ?? 1,
    maxInFlight: options.maxInFlight ?? (dialect === 'pglite' ? 1 : 4),
  };
}

export class GroupCommitScheduler<T> {
  private readonly queue: T[] = [];
  private inFlight = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private readonly idle = new Set<() => void>();

  /** `settings` undefined: group commit off, every item is its own batch, started at once. */
  constructor(
    private readonly settings: Required<GroupCommitOptions> | undefined,
    private readonly runBatch: (batch: T[]) => Promise<void>,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    this.schedule();
  }

  /** Starts whatever is queued, then resolves once no batch is in flight. */
  async drain(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  private schedule(): void {
    if (!this.settings) {
      while (this.queue.length > 0) this.startBatch(this.queue.splice(0, 1));
      return;
    }
    const { maxBatchSize, maxWaitMs, maxInFlight } = this.settings;
    if (this.inFlight >= maxInFlight) return; // a finishing batch flushes the queue
    if (this.queue.length >= maxBatchSize) {
      this.flush();
      return;
    }
    if (this.flushScheduled || this.flushTimer) return;
    if (this.inFlight === 0 || maxWaitMs <= 0) {
      // Nothing being written: go on the next turn of the event loop, which still
      // gathers every append issued in this one.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    } else {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, maxWaitMs);
    }
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const { maxBatchSize, maxInFlight } = this.settings ?? { maxBatchSize: 1, maxInFlight: 1 };
    while (this.queue.length > 0 && this.inFlight < maxInFlight) {
      this.startBatch(this.queue.splice(0, maxBatchSize));
    }
  }

  private startBatch(batch: T[]): void {
    this.inFlight += 1;
    void this.runBatch(batch).finally(() => {
      this.inFlight -= 1;
      if (this.queue.length > 0) {
        // The appends that queued up while this batch was written go now.
        if (this.settings) this.flush();
        else this.schedule();
      } else if (this.inFlight === 0) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
    });
  }
}
