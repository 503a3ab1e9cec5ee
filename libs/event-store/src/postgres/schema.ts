import { runMigrations, type Migration } from '../migrations';
import type { SqlClient } from '../sql/sql-client';

/**
 * The adapter's tables. Every row of es_events carries the id of the
 * transaction that wrote it (xid8) and a sequence: the pair is the global
 * order (see postgres.event-store.ts). es_streams holds each stream's head
 * (revision and last hash), the row a batch locks.
 */
export const EVENT_STORE_MIGRATION_NAMESPACE = 'event-store';

export const eventStoreMigrations: readonly Migration[] = [
  {
    id: '001-events-and-streams',
    sql: `
CREATE TABLE es_streams (
  stream_id text PRIMARY KEY,
  revision integer NOT NULL,
  last_hash text NOT NULL
);
CREATE TABLE es_events (
  seq bigserial NOT NULL,
  txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision integer NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  hash text NOT NULL,
  previous_hash text NOT NULL,
  PRIMARY KEY (stream_id, revision),
  CONSTRAINT es_events_event_id_key UNIQUE (event_id)
);
CREATE UNIQUE INDEX es_events_position ON es_events (txid, seq);
`,
  },
  {
    // Idempotency-Keys written in the transaction of the events they produced.
    id: '002-idempotency-keys-with-events',
    sql: `
CREATE TABLE es_idempotency_keys (
  scope text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  stream_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX es_idempotency_keys_created_idx ON es_idempotency_keys (created_at);
`,
  },
];

export function migrateEventStore(sql: SqlClient): Promise<string[]> {
  return runMigrations(sql, EVENT_STORE_MIGRATION_NAMESPACE, eventStoreMigrations);
}
