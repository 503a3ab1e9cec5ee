import { createHash } from 'node:crypto';
import type { EventStore, SqlClient } from '@caseledger/event-store';
import { systemClock, type Clock } from '../clock/clock';

/**
 * Durable Idempotency-Key answers: the answer a key gave, kept to
 * replay it. The key itself and its request fingerprint are written with the
 * events, in their transaction (the event store's `es_idempotency_keys` on
 * PostgreSQL/PGlite; the events' metadata everywhere), so a crash between the
 * append and this answer loses only the copy, never the binding: the answer
 * is derived again from the stored events (the command id comes from the key).
 * Keys are scoped per actor: two staff members may use the same key.
 */
export const IDEMPOTENCY_MIGRATIONS = [
  {
    id: '001_idempotency_keys',
    sql: `
      CREATE TABLE IF NOT EXISTS api_idempotency_keys (
        actor_id text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        response_body jsonb NOT NULL,
        response_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor_id, idempotency_key)
      )`,
  },
];

export const IDEMPOTENCY_MIGRATION_NAMESPACE = 'platform-idempotency';

export interface StoredResponse {
  requestHash: string;
  statusCode: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Row {
  request_hash: string;
  status_code: number;
  response_body: unknown;
  response_headers: Record<string, string> | string;
}

/** Canonical JSON (sorted keys), so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The request a key was first used for: method, path and body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('hex');
}

export class IdempotencyStore {
  constructor(private readonly sql: SqlClient) {}

  /** Deletes answers older than `olderThan` (retention); returns how many went. */
  async purge(olderThan: Date): Promise<number> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM api_idempotency_keys WHERE created_at < $1::timestamptz',
      [olderThan.toISOString()],
    );
    return rowCount;
  }

  async find(actorId: string, key: string): Promise<StoredResponse | undefined> {
    const { rows } = await this.sql.query<Row>(
      `SELECT request_hash, status_code, response_body, response_headers
         FROM api_idempotency_keys WHERE actor_id = $1 AND idempotency_key = $2`,
      [actorId, key],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  /**
   * Saves the first answer for a key; when another request saved one first, that
   * one wins and is returned (the caller answers with it).
   */
  async save(actorId: string, key: string, response: StoredResponse): Promise<StoredResponse> {
    await this.sql.query(
      `INSERT INTO api_idempotency_keys
         (actor_id, idempotency_key, request_hash, status_code, response_body, response_headers)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)
       ON CONFLICT (actor_id, idempotency_key) DO NOTHING`,
      [
        actorId,
        key,
        response.requestHash,
        response.statusCode,
        JSON.stringify(response.body ?? null),
        JSON.stringify(response.headers),
      ],
    );
    return (await this.find(actorId, key)) ?? response;
  }
}

function fromRow(row: Row): StoredResponse {
  const headers =
    typeof row.response_headers === 'string'
      ? (JSON.parse(row.response_headers) as Record<string, string>)
      : row.response_headers;
  const body =
    typeof row.response_body === 'string'
      ? (JSON.parse(row.response_body) as unknown)
      : row.response_body;
  return { requestHash: row.request_hash, statusCode: row.status_code, body, headers };
}

/**
 * Keys expire (IDEMPOTENCY_RETENTION_DAYS): at start and then hourly, the
 * answers and the keys stored with the events that are older go.
 */
export class IdempotencyPurger {
  private first: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;

  constructor(
    private readonly answers: IdempotencyStore,
    private readonly store: EventStore,
    private readonly retentionDays: number,
    private readonly clock: Clock = systemClock,
  ) {}

  async purge(): Promise<{ answers: number; keys: number }> {
    const olderThan = new Date(this.clock.now().getTime() - this.retentionDays * 86_400_000);
    const answers = await this.answers.purge(olderThan);
    const keys = (await this.store.purgeIdempotencyRecords?.(olderThan)) ?? 0;
    return { answers, keys };
  }

  start(everyMs = 3_600_000, onError: (error: unknown) => void = () => undefined): void {
    const run = (): void => void this.purge().catch(onError);
    this.first = setTimeout(run, 1_000).unref();
    this.interval = setInterval(run, everyMs).unref();
  }

  stop(): void {
    clearTimeout(this.first);
    clearInterval(this.interval);
  }
}
