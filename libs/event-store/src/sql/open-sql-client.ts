import { createPgSqlClient } from './pg.sql-client';
import { openPgliteSqlClient } from './pglite.sql-client';
import type { SqlClient } from './sql-client';

export interface OpenSqlClientOptions {
  /** DATABASE_URL: PostgreSQL when set. */
  databaseUrl?: string;
  /** DATA_DIR: the embedded PGlite data dir otherwise (default ./.data). */
  dataDir?: string;
  /** PostgreSQL pool size. */
  max?: number;
}

/** DATABASE_URL selects PostgreSQL, otherwise PGlite in DATA_DIR (the zero-set-up default). */
export async function openSqlClient(options: OpenSqlClientOptions = {}): Promise<SqlClient> {
  if (options.databaseUrl) return createPgSqlClient(options.databaseUrl, { max: options.max });
  return openPgliteSqlClient(options.dataDir ?? './.data');
}
