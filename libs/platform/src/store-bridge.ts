import { createEventStore, openSqlClient, runMigrations } from '@caseledger/event-store';
import type { EventStore, SqlClient } from '@caseledger/event-store';
import type { AppConfig } from './config/app-config';
import {
  IDEMPOTENCY_MIGRATIONS,
  IDEMPOTENCY_MIGRATION_NAMESPACE,
} from './idempotency/idempotency.store';

/** pg when DATABASE_URL is set, else PGlite in DATA_DIR; with the platform's own tables migrated. */
export async function openSql(config: AppConfig): Promise<SqlClient> {
  const sql = await openSqlClient({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.databasePoolSize !== undefined ? { max: config.databasePoolSize } : {}),
  });
  await runMigrations(sql, IDEMPOTENCY_MIGRATION_NAMESPACE, IDEMPOTENCY_MIGRATIONS);
  return sql;
}

/** The PostgreSQL/PGlite store on `sql`, or EventStoreDB when its connection string is set. */
export function openEventStore(config: AppConfig, sql: SqlClient): Promise<EventStore> {
  return createEventStore({
    sql,
    eventStoreConnectionString: config.eventStoreConnectionString,
  });
}
