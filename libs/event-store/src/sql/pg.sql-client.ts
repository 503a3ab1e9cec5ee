import { Logger } from '@nestjs/common';
import { Pool, type PoolClient, type QueryResult as PgResult } from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { QueryResult, SqlClient, SqlExecutor } from './sql-client';

export interface PgSqlClientOptions {
  /** Pool size (default 10). */
  max?: number;
}

const logger = new Logger('PgSqlClient');

function executorOf(client: Pick<PoolClient, 'query'>): SqlExecutor {
  return {
    async query<Row>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
      // No parameters: pg uses the simple protocol, which also runs multi-statement
      // scripts (migrations rely on it).
      const answer: unknown = await client.query(
        text,
        params && params.length > 0 ? params : undefined,
      );
      // A multi-statement script answers with one result per statement: keep the last.
      const result = (Array.isArray(answer) ? answer[answer.length - 1] : answer) as PgResult;
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/** COPY … FROM STDIN on one checked-out client (inside its transaction). */
function copier(client: PoolClient): NonNullable<SqlExecutor['copyFrom']> {
  return async (copySql, chunks) => {
    const stream = client.query(copyFromStdin(copySql));
    await pipeline(Readable.from(chunks), stream);
    return stream.rowCount ?? 0;
  };
}

/** A SqlClient over a `pg` pool (DATABASE_URL). */
export function createPgSqlClient(url: string, options: PgSqlClientOptions = {}): SqlClient {
  const pool = new Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client losing its connection (server restart, database dropped) must
  // not crash the process; the next query reports the failure to its caller.
  pool.on('error', (error) => logger.warn(`idle PostgreSQL connection failed: ${error.message}`));
  // Every client hears its errors for its whole life, not only while idle (the
  // pool's own listener) or inside our transaction: a terminated backend's
  // message can arrive in the same socket read that hands the client to a
  // waiting caller, before that caller attached anything, and an unheard
  // 'error' crashes the process. The query in flight fails with it anyway.
  pool.on('connect', (client) => {
    client.on('error', (error: Error) =>
      logger.debug(`PostgreSQL connection failed: ${error.message}`),
    );
  });
  const poolExecutor = executorOf(pool);
  let closed = false;

  return {
    dialect: 'postgres',
    query<Row>(text: string, params?: unknown[]): Promise<QueryResult<Row>> {
      return poolExecutor.query<Row>(text, params);
    },
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client whose connection dies (pg_terminate_backend, a
      // failover) emits 'error'; unheard, that crashes the process. Heard, the
      // query in flight fails with it, only this transaction rolls back, and
      // the client is discarded below instead of going back to the pool.
      const onError = (error: Error): void => {
        broken ??= error;
        logger.warn(`PostgreSQL connection lost in a transaction: ${error.message}`);
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work({ ...executorOf(client), copyFrom: copier(client) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken ??=
            rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        // A client whose connection failed or whose ROLLBACK failed is discarded rather than reused.
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
