/**
 * The SQL surface that the PostgreSQL event store and the read models share.
 * One implementation wraps a `pg` pool (DATABASE_URL), the other an embedded
 * PGlite instance (DATA_DIR). In the embedded default both the event store and
 * the projections use the same PGlite instance, since PGlite allows one process
 * per data directory.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface SqlExecutor {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /**
   * Bulk load: runs `COPY … FROM STDIN` (text format) and streams `chunks`
   * into it; returns the rows copied. Only a `pg` transaction has it (PGlite
   * and the pool do not): callers fall back to an INSERT without it.
   */
  copyFrom?(copySql: string, chunks: Iterable<string>): Promise<number>;
}

export interface SqlClient extends SqlExecutor {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `work` in one transaction (BEGIN … COMMIT, ROLLBACK on a throw). */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
