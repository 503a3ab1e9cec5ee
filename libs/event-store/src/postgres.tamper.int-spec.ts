import { createTestDatabase } from '@caseledger/testing';
import { tamperContract } from './checkpoints/tamper.contract';
import { PostgresEventStore } from './postgres.event-store';
import { createPgSqlClient } from './sql/pg.sql-client';

tamperContract('PostgreSQL', {
  async open() {
    const database = await createTestDatabase('tamper');
    const sql = createPgSqlClient(database.url, { max: 4 });
    const store = await PostgresEventStore.create(sql);
    return {
      sql,
      store,
      async close() {
        await store.close();
        await sql.close();
        await database.drop();
      },
    };
  },
});
