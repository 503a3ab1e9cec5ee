import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { eventStoreContract } from './event-store.contract';
import { EventStoreUnavailableError } from './event-store.port';
import { PostgresEventStore } from './postgres.event-store';
import { createPgSqlClient } from './sql/pg.sql-client';
import type { SqlClient } from './sql/sql-client';

let database: TestDatabase;
let sql: SqlClient;

eventStoreContract('PostgreSQL (pg, group commit)', {
  sqlChecks: true,
  async setup() {
    database = await createTestDatabase('event_store');
    sql = createPgSqlClient(database.url, { max: 8 });
    return {
      sql,
      groupCommit: true,
      writers: 8,
      eventsPerWriter: 5_000,
      open: () => PostgresEventStore.create(sql),
    };
  },
  async teardown() {
    await sql.close();
    await database.drop();
  },
});

describe('PostgreSQL event store outside the contract', () => {
  it('ping on an unreachable server is EventStoreUnavailableError', async () => {
    const unreachable = createPgSqlClient('postgres://127.0.0.1:9/none', { max: 1 });
    const store = new PostgresEventStore(unreachable);
    try {
      await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
      await expect(store.readAll(undefined, 1)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    } finally {
      await store.close();
      await unreachable.close();
    }
  });
});
