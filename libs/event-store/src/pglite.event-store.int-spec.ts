import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from './event-store.contract';
import { PostgresEventStore } from './postgres';
import { DataDirLockedError, LOCK_FILE } from './sql/data-dir-lock';
import { openPgliteSqlClient } from './sql/pglite.sql-client';
import type { SqlClient } from './sql/sql-client';
import { pgliteDataDir } from '@caseledger/testing';

let dataDir: string;
let sql: SqlClient;

eventStoreContract('PGlite (embedded, group commit)', {
  sqlChecks: true,
  async setup() {
    dataDir = await pgliteDataDir('pglite');
    sql = await openPgliteSqlClient(dataDir);
    return {
      sql,
      groupCommit: true,
      writers: 8,
      // PGlite runs every transaction one after another (one connection), so the
      // out-of-order-commit trap cannot occur; half the size keeps the file fast.
      eventsPerWriter: 2_500,
      open: () => PostgresEventStore.create(sql),
    };
  },
  async teardown() {
    await sql.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

describe('PGlite data dir lock: one process per data dir', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'caseledger-pglite-lock-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second open of a data dir in use fails with an error naming the dir and the holding pid; close releases it', async () => {
    const first = await openPgliteSqlClient(dir);
    try {
      const second = openPgliteSqlClient(dir);
      await expect(second).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(second).rejects.toThrow(dir);
      await expect(second).rejects.toThrow(`process ${process.pid}`);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock held by another live process refuses the open', async () => {
    // pid 1 is always alive.
    writeFileSync(join(dir, LOCK_FILE), '1\n');
    try {
      await expect(openPgliteSqlClient(dir)).rejects.toThrow(/in use by process 1 /);
    } finally {
      rmSync(join(dir, LOCK_FILE), { force: true });
    }
  });

  it('a stale lock left by a dead process is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, LOCK_FILE), `${dead}\n`);
    const client = await openPgliteSqlClient(dir);
    try {
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      const answer = await client.query<{ ok: number }>('SELECT 1 AS ok', []);
      expect(answer.rows).toEqual([{ ok: 1 }]);
    } finally {
      await client.close();
    }
  });
});
