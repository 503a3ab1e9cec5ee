import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { createTestDatabase } from '@caseledger/testing';
import { migrateProjections } from '../schema';
import { toNewEvent } from './case-events';

export type BackendKind = 'postgres' | 'pglite';

export interface Backend {
  kind: BackendKind;
  sql: SqlClient;
  store: EventStore;
  /** For a second process (PostgreSQL only). */
  databaseUrl?: string;
  close(): Promise<void>;
}

/** A real store and read-model database: a throw-away PostgreSQL database, or PGlite in a fresh temp dir. */
export async function openBackend(kind: BackendKind, label: string): Promise<Backend> {
  if (kind === 'postgres') {
    const db = await createTestDatabase(label);
    const sql = createPgSqlClient(db.url, { max: 6 });
    const store = await PostgresEventStore.create(sql, { pollIntervalMs: 10 });
    await migrateProjections(sql);
    return {
      kind,
      sql,
      store,
      databaseUrl: db.url,
      async close() {
        await store.close();
        await sql.close();
        await db.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `cl-${label}-`));
  const sql = await openPgliteSqlClient(dir);
  const store = await PostgresEventStore.create(sql, { pollIntervalMs: 10 });
  await migrateProjections(sql);
  return {
    kind,
    sql,
    store,
    async close() {
      await store.close();
      await sql.close();
      rmSync(dir, { recursive: true, force: true });
    },
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
