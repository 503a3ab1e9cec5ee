import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tamperContract } from './checkpoints/tamper.contract';
import { PostgresEventStore } from './postgres';
import { openPgliteSqlClient } from './sql/pglite.sql-client';

tamperContract('PGlite', {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'caseledger-tamper-pglite-'));
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
