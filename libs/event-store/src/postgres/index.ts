export { EVENT_STORE_MIGRATION_NAMESPACE, eventStoreMigrations, migrateEventStore } from './schema';
export type { GroupCommitOptions } from './group-commit';
export { EventDataRejectedError, isDatabaseUnavailable } from './errors';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres.event-store';
