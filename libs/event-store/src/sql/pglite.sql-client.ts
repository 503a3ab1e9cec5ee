import { PGlite, type Transaction } from '@electric-sql/pglite';
import { acquireDataDirLock } from './data-dir-lock';
import type { QueryResult, SqlClient, SqlExecutor } from './sql-client';

interface PgliteRunner {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows?: number }>;
  exec(text: string): Promise<Array<{ rows: unknown[]; affectedRows?: number }>>;
}

function executorOf(runner: PgliteRunner): SqlExecutor {
  return {
    async query<Row>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
      if (!params || params.length === 0) {
        // Like pg's simple protocol: a parameterless text may hold several
        // statements (migrations); the answer is the last statement's.
        const results = await runner.exec(text);
        const last = results[results.length - 1];
        const rows = (last?.rows ?? []) as Row[];
        return { rows, rowCount: last?.affectedRows || rows.length };
      }
      const result = await runner.query<Row>(text, params);
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    },
  };
}

/**
 * PGlite is one connection: statements of two transactions must never
 * interleave. Every query and transaction goes through one FIFO queue; a
 * transaction's own statements run through its `tx` executor, inside its turn.
 * (Calling the client itself from inside `transaction(work)` would wait for its
 * own turn forever: use `tx`.)
 */
export async function openPgliteSqlClient(dataDir: string): Promise<SqlClient> {
  const lock = acquireDataDirLock(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: lock.dataDir });
  } catch (error) {
    lock.release();
    throw error;
  }
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  function enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new Error('the PGlite client is closed'));
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  }

  const direct = executorOf(db);

  return {
    dialect: 'pglite',
    query<Row>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
      return enqueue(() => direct.query<Row>(text, params));
    },
    transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      return enqueue(() =>
        db.transaction((tx: Transaction) => work(executorOf(tx as unknown as PgliteRunner))),
      );
    },
    async close(): Promise<void> {
      if (closed) return;
      const drained = tail;
      closed = true;
      try {
        await drained;
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}
