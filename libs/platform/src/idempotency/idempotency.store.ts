import { createHash } from 'node:crypto';
import type { SqlClient } from '@caseledger/event-store';

/**
 * Durable Idempotency-Key answers (issue 4), kept in the event store's own SQL
 * database so a key and the events it produced live and die together.
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
