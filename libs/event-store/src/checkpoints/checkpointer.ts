import {
  comparePositions,
  parsePosition,
  positionToString,
  type EventStore,
  type Position,
} from '../event-store.port';
import {
  EventsDigest,
  isCoveredEvent,
  type CheckpointSigner,
  type SignedCheckpoint,
} from './checkpoint';
import { CheckpointConflictError, type CheckpointStore } from './checkpoint-store.port';

export interface CheckpointerOptions {
  /** CHECKPOINT_INTERVAL_EVENTS: a checkpoint after this many events. */
  everyEvents: number;
  /** CHECKPOINT_INTERVAL_SECONDS: and at least this often while events arrive. */
  everySeconds: number;
  /** How often the store is polled for new events (default 1 s). */
  pollMs?: number;
  /** Events read per page (default 1000). */
  pageSize?: number;
  now?: () => Date;
  logger?: { log(message: string): void; error(message: string, error?: unknown): void };
}

/**
 * Writes signed checkpoints (DESIGN.md "Evidence an outsider can check"). It
 * reads the store in global order from the newest checkpoint's position, keeps
 * the running hash over the events since, and signs a checkpoint when
 * `everyEvents` events have been covered (exactly at that event, so the
 * boundaries do not depend on page sizes) or `everySeconds` have passed since
 * the previous one with events waiting. One writer should run at a time (the
 * worker runs it under a lease); a second one loses the race for a sequence
 * number, reloads and carries on, so no checkpoint is ever written twice.
 */
export class Checkpointer {
  private latest: SignedCheckpoint | undefined;
  private cursor: Position = { commit: 0n, prepare: 0n };
  private readonly digest = new EventsDigest();
  private loaded = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly store: EventStore,
    private readonly checkpoints: CheckpointStore,
    private readonly signer: CheckpointSigner,
    private readonly options: CheckpointerOptions,
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private async reload(): Promise<void> {
    this.latest = await this.checkpoints.latest();
    this.cursor = this.latest ? parsePosition(this.latest.position) : { commit: 0n, prepare: 0n };
    this.digest.reset();
    this.loaded = true;
  }

  /**
   * Reads what is new and writes the checkpoints that are due; `force` also
   * checkpoints whatever is left uncovered (tests, and a clean shutdown).
   * Returns the checkpoints written.
   */
  async tick(options: { force?: boolean } = {}): Promise<SignedCheckpoint[]> {
    const written: SignedCheckpoint[] = [];
    try {
      if (!this.loaded) await this.reload();
      const pageSize = this.options.pageSize ?? 1000;
      for (;;) {
        const page = await this.store.readAll(this.cursor, pageSize);
        for (const event of page) {
          if (comparePositions(event.position, this.cursor) <= 0) continue;
          this.cursor = event.position;
          if (!isCoveredEvent(event)) continue;
          this.digest.add(event.hash);
          if (this.digest.count >= this.options.everyEvents) {
            written.push(await this.write());
          }
        }
        if (page.length < pageSize) break;
      }
      const last = this.latest ? Date.parse(this.latest.createdAt) : 0;
      const due = this.now().getTime() - last >= this.options.everySeconds * 1000;
      if (this.digest.count > 0 && (options.force || due)) written.push(await this.write());
    } catch (error) {
      if (error instanceof CheckpointConflictError) {
        // Another writer took this sequence: start again from its checkpoint.
        this.loaded = false;
        return written;
      }
      this.loaded = false;
      throw error;
    }
    return written;
  }

  private async write(): Promise<SignedCheckpoint> {
    const previous = this.latest;
    const checkpoint = this.signer.sign({
      sequence: (previous?.sequence ?? 0) + 1,
      position: positionToString(this.cursor),
      previousPosition: previous?.position ?? '0/0',
      eventCount: this.digest.count,
      totalEvents: (previous?.totalEvents ?? 0) + this.digest.count,
      eventsHash: this.digest.peek(),
      previousHash: previous?.hash ?? '',
      createdAt: this.now().toISOString(),
      keyId: this.signer.keyId,
    });
    await this.checkpoints.append(checkpoint);
    this.latest = checkpoint;
    this.digest.reset();
    return checkpoint;
  }

  /** Polls until stopped. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loaded = false;
    const loop = (): void => {
      if (this.stopped) return;
      this.running = this.tick()
        .then(
          (written) => {
            for (const c of written) {
              this.options.logger?.log(
                `checkpoint ${c.sequence} signed at ${c.position} (${c.eventCount} events)`,
              );
            }
          },
          (error: unknown) => this.options.logger?.error('checkpoint failed', error),
        )
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(loop, this.options.pollMs ?? 1000);
        });
    };
    loop();
  }

  /** Stops polling; what is still uncovered is signed first, so a clean shutdown leaves no tail. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    try {
      await this.tick({ force: true });
    } catch (error) {
      this.options.logger?.error('final checkpoint failed', error);
    }
  }
}
