import { rmSync } from 'node:fs';
import type { CaseEvent } from '@caseledger/domain';
import {
  createPgSqlClient,
  openPgliteSqlClient,
  PostgresEventStore,
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
  type SqlClient,
} from '@caseledger/event-store';
import { createTestDatabase, pgliteDataDir } from '@caseledger/testing';
import { migrateProjections } from '../schema';
import { toNewEvent } from './case-events';

export type BackendKind = 'postgres' | 'pglite';

export interface Backend {
  kind: BackendKind;
  sql: SqlClient;
  store: EventStore;
  /** For a second process (PostgreSQL only). */
  databaseUrl?: string;
  /**
   * Empties it for the next test: every table (the store's events, streams and
   * keys, the read models, checkpoints, any shadow a rebuild left) is
   * truncated; only the migrations' record stays. As clean as a new backend,
   * at a fraction of a new database's or PGlite's start.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real store and read-model database: a throw-away PostgreSQL database, or
 * PGlite in a temp dir of its own (`backendPerFile` shares one across a file's tests).
 */
export async function openBackend(kind: BackendKind, label: string): Promise<Backend> {
  const db = kind === 'postgres' ? await createTestDatabase(label) : undefined;
  const dir = db ? undefined : await pgliteDataDir(label);
  const sql = db ? createPgSqlClient(db.url, { max: 6 }) : await openPgliteSqlClient(dir!);
  const store = await PostgresEventStore.create(sql, { pollIntervalMs: 10 });
  await migrateProjections(sql);
  return {
    kind,
    sql,
    store,
    databaseUrl: db?.url,
    async reset() {
      const { rows } = await sql.query<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables
          WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
      );
      if (rows.length > 0) await sql.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')}`);
      lastAppended.delete(store);
    },
    async close() {
      await store.close();
      await sql.close();
      await db?.drop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One backend for the enclosing describe (opened before its first test, closed
 * after its last), emptied before each test, so every test starts from an
 * empty store and read models without paying for a new database or PGlite.
 * The object stands for the opened backend (`b.sql`, `b.store`).
 */
export function backendPerFile(kind: BackendKind, label: string): Backend {
  let opened: Backend | undefined;
  const current = (): Backend => {
    if (!opened) throw new Error(`the ${label} backend is open only inside its describe's tests`);
    return opened;
  };
  beforeAll(async () => {
    opened = await openBackend(kind, label);
  });
  beforeEach(() => current().reset());
  afterAll(async () => {
    await opened?.close();
    opened = undefined;
  });
  return {
    kind,
    get sql() {
      return current().sql;
    },
    get store() {
      return current().store;
    },
    get databaseUrl() {
      return current().databaseUrl;
    },
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

const lastAppended = new WeakMap<EventStore, Position>();

/**
 * The newest position this test appended. Tests wait for it rather than for
 * the store's head: the head (and read-all) stop below the oldest transaction
 * still running anywhere on the server, which another test file's database
 * can hold back for a while.
 */
export const lastAppendedPosition = (store: EventStore): Position | undefined =>
  lastAppended.get(store);

/**
 * Read-all from the start, once it reaches what this test appended: read-all
 * stops below the oldest transaction in flight on the whole server, so right
 * after an append it can still be short of it (see lastAppendedPosition).
 */
export async function readAllThroughLastAppend(
  store: EventStore,
  limit = 10_000,
  timeoutMs = 30_000,
): Promise<RecordedEvent[]> {
  const target = lastAppended.get(store);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await store.readAll(undefined, limit);
    const last = events[events.length - 1];
    if (!target || (last && comparePositions(last.position, target) >= 0)) return events;
    if (Date.now() > deadline)
      throw new Error(
        `read-all did not reach ${target.commit}/${target.prepare} in ${timeoutMs} ms`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Appends domain events to a case's stream (no decider: the projection is under test). */
export async function appendToCase(store: EventStore, caseId: string, ...events: CaseEvent[]) {
  const result = await store.append(
    `case-${caseId}`,
    events.map((e) => toNewEvent(e)),
    'any',
  );
  const last = lastAppended.get(store);
  if (!last || comparePositions(result.position, last) > 0)
    lastAppended.set(store, result.position);
  return result;
}
