import { rmSync } from 'node:fs';
import { pgliteDataDir } from '@caseledger/testing';
import { tamperContract } from './checkpoints/tamper.contract';
import { PostgresEventStore } from './postgres';
import { openPgliteSqlClient } from './sql/pglite.sql-client';

tamperContract('PGlite', {
  async open() {
    const dir = await pgliteDataDir('tamper-pglite');
    const sql = await openPgliteSqlClient(dir);
    const store = await PostgresEventStore.create(sql);
    return {
      sql,
      store,
      async close() {
        await store.close();
        await sql.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
});
