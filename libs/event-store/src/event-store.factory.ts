import type { EventStore } from './event-store.port';
import { PostgresEventStore, type GroupCommitOptions } from './postgres';
import type { SqlClient } from './sql/sql-client';

export interface EventStoreConfig {
  /** EVENTSTORE_CONNECTION_STRING: EventStoreDB when set. */
  eventStoreConnectionString?: string;
  /** The PostgreSQL/PGlite client the embedded store (and the read models) use. */
  sql: SqlClient;
  /** PostgreSQL/PGlite only: group commit on (default) or off, or tuned. */
  groupCommit?: boolean | GroupCommitOptions;
}

/**
 * EventStoreDB when a connection string is configured, else the PostgreSQL
 * adapter on `sql` with its migrations applied. The EventStoreDB client is
 * loaded only when it is used, so the embedded default never loads it.
 */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  if (config.eventStoreConnectionString) {
    const { EsdbEventStore } = await import('./esdb.event-store');
    return EsdbEventStore.fromConnectionString(config.eventStoreConnectionString);
  }
  return PostgresEventStore.create(config.sql, { groupCommit: config.groupCommit });
}
