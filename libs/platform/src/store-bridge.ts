import { createEventStore, openSqlClient, runMigrations } from '@caseledger/event-store';
import type { EventStore, SqlClient } from '@caseledger/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { PersonalDataEventStore } from './privacy/personal-data.event-store';
import { PersonalDataKeys, masterKeyRing, type MasterKeyRing } from './privacy/personal-data-keys';
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

/**
 * The PostgreSQL/PGlite store on `sql`, or EventStoreDB when its connection
 * string is set; wrapped in the personal-data encryption when a master key is
 * configured (README "Personal data").
 */
export async function openEventStore(config: AppConfig, sql: SqlClient): Promise<EventStore> {
  const store = await createEventStore({
    sql,
    eventStoreConnectionString: config.eventStoreConnectionString,
  });
  return withPersonalDataEncryption(store, config, sql);
}

/** The master key ring from PERSONAL_DATA_MASTER_KEY or the DATA_DIR key file (undefined: none). */
export function loadMasterKeys(config: AppConfig): MasterKeyRing | undefined {
  const { masterKey, keyFile, previousMasterKeys } = config.personalData;
  const text = masterKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined);
  return text === undefined ? undefined : masterKeyRing(text, previousMasterKeys);
}

export async function withPersonalDataEncryption(
  store: EventStore,
  config: AppConfig,
  sql: SqlClient,
): Promise<EventStore> {
  const masters = loadMasterKeys(config);
  if (!masters) {
    new Logger('PersonalData').warn(
      'no PERSONAL_DATA_MASTER_KEY (nor DATA_DIR/personal-data-master-key): personal data is stored unencrypted and cannot be disposed of',
    );
    return store;
  }
  const keys = new PersonalDataKeys(sql, masters);
  await keys.migrate();
  return new PersonalDataEventStore(store, keys);
}
