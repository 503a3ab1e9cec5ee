import { createHash } from 'node:crypto';
import { Client } from 'pg';

/**
 * A single active consumer among replicas ("projections and the
 * deadline reactor hold a single active consumer"). A lease campaigns until it
 * is held, then runs the consumer through `onAcquired`; when it is lost (its
 * connection dropped) or released, `onLost` stops the consumer. Standbys keep
 * campaigning, so one of them takes over.
 */
export interface LeaseCallbacks {
  /** The lease is held: start the consumer. A throw gives the lease back and retries later. */
  onAcquired(): Promise<void>;
  /** The lease is gone or being released: stop the consumer (after its in-flight batch). */
  onLost(): Promise<void>;
}

export interface LeaseLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface LeaderLease {
  readonly name: string;
  readonly held: boolean;
  /** Starts campaigning (once); callbacks run one at a time, never overlapping. */
  run(callbacks: LeaseCallbacks): void;
  /** Stops the consumer if it runs, then releases the lease and closes its connection. */
  close(): Promise<void>;
}

export interface LeaseOptions {
  /** Wait between attempts while another process holds the lease. */
  retryMs?: number;
  /** While held, how often the lease's connection is checked (a silent drop shows here). */
  checkMs?: number;
  logger?: LeaseLogger;
  /** Told of every change (the lease-held gauge). */
  onHeldChange?: (held: boolean) => void;
}

const DEFAULT_RETRY_MS = 5_000;

/**
 * The advisory-lock key of a consumer: 64 bits of SHA-256 over its name, as a
 * signed bigint in text (pg's bigint parameter).
 */
export function leaseKey(name: string): string {
  const digest = createHash('sha256').update(`caseledger-lease:${name}`).digest();
  return digest.readBigInt64BE(0).toString();
}

/** Serialises state changes: campaign steps, loss and close never interleave. */
class Serial {
  private tail: Promise<void> = Promise.resolve();
  run(work: () => Promise<void>): Promise<void> {
    const next = this.tail.then(work, work);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own
 * (not the pool's: a pooled connection is shared and returned, and the lock
 * would go with it). The server releases the lock when the session ends, so a
 * crashed or partitioned holder frees it; the holder notices the dropped
 * connection (an error event or the periodic check) and stops its consumer.
 * Between the server freeing the lock and the old holder noticing, two
 * consumers may briefly overlap; both consumers are idempotent (checkpointed
 * projections, reconciling reactor), so an overlap repeats work and loses none.
 */
export class PostgresLeaderLease implements LeaderLease {
  private readonly key: string;
  private readonly retryMs: number;
  private readonly checkMs: number;
  private readonly serial = new Serial();
  private client: Client | undefined;
  private callbacks: LeaseCallbacks | undefined;
  private timer: NodeJS.Timeout | undefined;
  private isHeld = false;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    readonly name: string,
    private readonly options: LeaseOptions = {},
  ) {
    this.key = leaseKey(name);
    this.retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
    this.checkMs = options.checkMs ?? this.retryMs;
  }

  get held(): boolean {
    return this.isHeld;
  }

  run(callbacks: LeaseCallbacks): void {
    if (this.callbacks || this.closed) return;
    this.callbacks = callbacks;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.serial.run(() => this.attempt()), ms);
  }

  private async attempt(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    try {
      const client = this.client ?? (await this.connect());
      if (this.isHeld) {
        await client.query('SELECT 1');
      } else {
        const result = await client.query<{ held: boolean }>(
          'SELECT pg_try_advisory_lock($1::bigint) AS held',
          [this.key],
        );
        if (result.rows[0]?.held === true && !this.closed) {
          this.setHeld(true);
          this.options.logger?.log(
            `lease ${this.name} acquired; this process is the active consumer`,
          );
          try {
            await this.callbacks?.onAcquired();
          } catch (error) {
            this.options.logger?.warn(
              `lease ${this.name}: the consumer failed to start (${(error as Error).message}); giving the lease back`,
            );
            await this.giveBack();
          }
        }
      }
    } catch (error) {
      await this.lose(error);
    }
    this.schedule(this.isHeld ? this.checkMs : this.retryMs);
  }

  private async connect(): Promise<Client> {
    const client = new Client({
      connectionString: this.connectionString,
      keepAlive: true,
      application_name: `caseledger-lease-${this.name}`.slice(0, 63),
    });
    const dropped = (error?: Error): void =>
      void this.serial.run(async () => {
        if (this.client === client) await this.lose(error ?? new Error('connection ended'));
      });
    client.on('error', dropped);
    client.on('end', () => dropped());
    await client.connect();
    this.client = client;
    return client;
  }

  /** The connection is gone or failing: the server has freed (or will free) the lock. */
  private async lose(error: unknown): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
    if (!this.isHeld) return;
    this.setHeld(false);
    this.options.logger?.warn(
      `lease ${this.name} lost (${error instanceof Error ? error.message : String(error)}); stopping the consumer, a standby takes over`,
    );
    // The pending campaign timer reconnects and tries again (a standby likely holds it by now).
    await this.stopConsumer();
  }

  /** Stop first, unlock second: the next holder never starts beside a running consumer. */
  private async giveBack(): Promise<void> {
    await this.stopConsumer();
    this.setHeld(false);
    const client = this.client;
    if (!client) return;
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]);
    } catch {
      // The session is going away anyway; the server frees its locks.
      this.client = undefined;
      await client.end().catch(() => undefined);
    }
  }

  private async stopConsumer(): Promise<void> {
    try {
      await this.callbacks?.onLost();
    } catch (error) {
      this.options.logger?.warn(
        `lease ${this.name}: stopping the consumer failed: ${(error as Error).message}`,
      );
    }
  }

  private setHeld(held: boolean): void {
    this.isHeld = held;
    this.options.onHeldChange?.(held);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.serial.run(async () => {
      if (this.isHeld) {
        await this.giveBack();
        this.options.logger?.log(`lease ${this.name} released`);
      }
      const client = this.client;
      this.client = undefined;
      if (client) await client.end().catch(() => undefined);
    });
  }
}

/**
 * PGlite allows one process per data directory (the store already refuses a
 * second), so the one process is the only consumer: the lease is simply held.
 */
export class InProcessLeaderLease implements LeaderLease {
  private readonly serial = new Serial();
  private callbacks: LeaseCallbacks | undefined;
  private isHeld = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    private readonly options: LeaseOptions = {},
  ) {}

  get held(): boolean {
    return this.isHeld;
  }

  run(callbacks: LeaseCallbacks): void {
    if (this.callbacks || this.closed) return;
    this.callbacks = callbacks;
    void this.serial.run(() => this.acquire());
  }

  private async acquire(): Promise<void> {
    this.timer = undefined;
    if (this.closed || !this.callbacks) return;
    this.isHeld = true;
    this.options.onHeldChange?.(true);
    try {
      await this.callbacks.onAcquired();
    } catch (error) {
      this.options.logger?.warn(
        `lease ${this.name}: the consumer failed to start (${(error as Error).message}); retrying`,
      );
      await this.callbacks.onLost().catch(() => undefined);
      this.isHeld = false;
      this.options.onHeldChange?.(false);
      if (!this.closed)
        this.timer = setTimeout(
          () => void this.serial.run(() => this.acquire()),
          this.options.retryMs ?? DEFAULT_RETRY_MS,
        );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.serial.run(async () => {
      if (!this.isHeld) return;
      await this.callbacks?.onLost();
      this.isHeld = false;
      this.options.onHeldChange?.(false);
    });
  }
}
