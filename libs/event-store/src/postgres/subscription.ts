import {
  comparePositions,
  type BatchHandler,
  type Position,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port';

/**
 * A polling subscription to read-all. An idle subscription sleeps for the poll
 * interval; the store's own appends wake every sleeper at once (`nudge`), so a
 * projector in the same process sees a commit without waiting for the poll.
 */
export class PollingSubscriptions {
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly readAll: (
      from: Position | undefined,
      limit: number,
    ) => Promise<RecordedEvent[]>,
    private readonly pollIntervalMs: number,
  ) {}

  subscribe(handler: BatchHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let checkpoint: Position | undefined = options.from;
    let stopping = false;
    let wake: (() => void) | undefined;

    const sleep = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          this.wakers.delete(finish);
          wake = undefined;
          resolve();
        };
        const timer = setTimeout(finish, this.pollIntervalMs);
        wake = finish;
        this.wakers.add(finish);
      });

    const loop = async (): Promise<void> => {
      while (!stopping) {
        const events = await this.readAll(checkpoint, batchSize);
        if (stopping) break;
        if (events.length === 0) {
          await sleep();
          continue;
        }
        // Belt and braces: a position at or below the checkpoint is never handed out twice.
        const fresh = checkpoint
          ? events.filter((event) => comparePositions(event.position, checkpoint!) > 0)
          : events;
        if (fresh.length > 0) await handler(fresh);
        checkpoint = events[events.length - 1].position;
      }
    };

    const done = loop();
    // `done` is observed by whoever awaits it; this keeps an unobserved stop from
    // surfacing as an unhandled rejection.
    done.catch(() => undefined);
    const subscription: Subscription = {
      done,
      stop: async () => {
        stopping = true;
        wake?.();
        try {
          await done;
        } catch {
          // The handler's error is reported through `done`.
        }
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    void done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  /** Wakes every idle subscription (something was just written). */
  nudge(): void {
    for (const wake of [...this.wakers]) wake();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }
}
