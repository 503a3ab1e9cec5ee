import {
  START,
  comparePositions,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@caseledger/event-store';
import type { SqlClient, SqlExecutor } from '@caseledger/event-store';
import {
  CHECKPOINTS_TABLE,
  deleteCheckpoint,
  lockCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from './checkpoints';
import { assertIdentifier } from './sql-values';
import { applyProjectionBatch } from './projector';
import type { Projection, RebuildFolder } from './projection';
import { migrateProjections } from './schema';

export interface RebuildProgress {
  phase: 'building' | 'swapping' | 'done';
  /** Events applied to the shadow table so far. */
  events: number;
  /** The events the live table had applied when the rebuild began (a progress estimate). */
  expectedEvents: number;
  position: Position;
}

export interface RebuildOptions {
  /** Events read per page. */
  batchSize?: number;
  /**
   * Events applied per shadow transaction (pages are gathered up to this many).
   * Default 50,000; 200,000 when the projection folds in memory (it holds rows,
   * not events, so a longer flush costs no memory and writes a case fewer times).
   */
  flushEvents?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** How often to try the swap before giving up (each try first catches up). */
  swapAttempts?: number;
  /** Test hook: runs between catching up and the swap transaction. */
  beforeSwap?: () => Promise<void>;
}

export interface RebuildResult {
  events: number;
  rows: number;
  position: Position;
  swapAttempts: number;
}

export const shadowTableOf = (projection: Projection): string =>
  assertIdentifier(`${projection.table}_rebuild`);

/**
 * Rebuild without downtime: build a shadow table from position 0
 * while the live table keeps serving, catch up, then swap the tables by rename
 * in one transaction that also hands the shadow's checkpoint to the live name.
 * The swap holds the live checkpoint's row lock, so a live projector's batch
 * either committed before it (and the shadow has caught up past it) or waits
 * and then finds the checkpoint moved ahead (and drops what the shadow has).
 */
export async function rebuildProjection(
  sql: SqlClient,
  store: EventStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 2000;
  const shadow = shadowTableOf(projection);
  const folder = projection.rebuildFolder?.(sql, shadow);
  const flushEvents = Math.max(batchSize, options.flushEvents ?? (folder ? 200_000 : 50_000));
  const live = projection.table;
  const unlogged = sql.dialect === 'postgres';
  const [tableStatement = '', ...indexStatements] = projection.createTableSql(shadow);
  await migrateProjections(sql);
  const expectedEvents = await eventsAppliedTo(sql, live);
  await createShadow(sql, shadow, tableStatement, unlogged);

  const progress = { events: 0, position: START };
  const report = (phase: RebuildProgress['phase']) =>
    options.onProgress?.({ phase, ...progress, expectedEvents });
  const sink = folder
    ? foldingSink(sql, projection.name, shadow, folder)
    : batchSink(sql, projection, shadow);
  const catchUp = () =>
    runPipeline(store, sink, progress.position, batchSize, flushEvents, (flushed) => {
      progress.events += flushed.applied;
      progress.position = flushed.position;
      report('building');
    });

  const attempts = options.swapAttempts ?? 50;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await catchUp();
    if (attempt === 1) {
      for (const statement of indexStatements) await sql.query(statement);
      if (unlogged) await sql.query(`ALTER TABLE ${shadow} SET LOGGED`);
      // Fresh statistics before the table serves: without them the planner takes
      // the whole table for a handful of rows (the deadline sweep's keyset pages
      // then sort every open case once per page, quadratic in the caseload).
      await sql.query(`ANALYZE ${shadow}`);
      await catchUp();
    }
    await options.beforeSwap?.();
    // Under steady traffic the live projector is always a little ahead of the
    // catch-up. The events since it are read now (outside the transaction: on
    // PGlite the store shares the one connection) and applied under the live
    // checkpoint's lock if needed (see trySwap).
    const tail = await readTail(store, progress.position, batchSize);
    report('swapping');
    const swapped = await sql.transaction((tx) =>
      trySwap(tx, projection, live, shadow, tail, progress),
    );
    if (swapped) {
      const rows = await countRows(sql, live);
      report('done');
      return { ...progress, rows, swapAttempts: attempt };
    }
    // Read-all stops below the oldest transaction running on the server; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * attempt)));
  }
  throw new Error(
    `projection ${projection.name}: the live projector kept ahead of the shadow table for ${attempts} swap attempts`,
  );
}

/** A shadow left by an interrupted rebuild is discarded: a rebuild starts at 0. */
async function createShadow(
  sql: SqlClient,
  shadow: string,
  tableStatement: string,
  unlogged: boolean,
): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query(`DROP TABLE IF EXISTS ${shadow}`);
    await deleteCheckpoint(tx, shadow);
    // The table first; its secondary indexes are built once, after the bulk of the rows.
    await tx.query(tableStatement);
    // Nothing serves the shadow until the swap, and a crash restarts the rebuild
    // from 0: skip the write-ahead log while building, log it once before the swap.
    if (unlogged) await tx.query(`ALTER TABLE ${shadow} SET UNLOGGED`);
  });
}

/**
 * The swap, inside the transaction that holds the live checkpoint's lock. If
 * the live checkpoint is past the shadow's, the tail read just before fills
 * the gap (the lock holds the live projector still until the swap commits);
 * if even the tail does not reach it, returns false: catch up again.
 */
async function trySwap(
  tx: SqlExecutor,
  projection: Projection,
  live: string,
  shadow: string,
  tail: readonly RecordedEvent[],
  progress: { events: number; position: Position },
): Promise<boolean> {
  const livePosition = await lockCheckpoint(tx, live);
  const shadowPosition = await readCheckpoint(tx, shadow);
  if (comparePositions(shadowPosition, livePosition) < 0) {
    const last = tail[tail.length - 1];
    if (!last || comparePositions(last.position, livePosition) < 0) return false;
    const gap = tail.filter(
      (e) =>
        comparePositions(e.position, shadowPosition) > 0 &&
        comparePositions(e.position, livePosition) <= 0,
    );
    await projection.applyBatch(tx, shadow, gap);
    await writeCheckpoint(tx, shadow, livePosition, gap.length);
    progress.events += gap.length;
    progress.position = livePosition;
  }
  await swapTables(tx, live, shadow);
  return true;
}

/** Where the pipeline puts the pages it reads, and what writes them to the shadow. */
interface ShadowSink {
  /** Takes a page in; may wait for `settled()` (every write started so far committed). */
  add(page: readonly RecordedEvent[], settled: () => Promise<void>): Promise<void>;
  /**
   * Takes what was added since the last flush (synchronously: what is added
   * later belongs to the next flush) and writes it, with the checkpoint moved
   * from `from` to `upTo`, in one transaction.
   */
  flush(from: Position, upTo: Position, count: number): Promise<FlushResult>;
}

interface FlushResult {
  applied: number;
  position: Position;
}

/** The fast path: pages are folded into rows in memory; a flush writes the changed rows. */
function foldingSink(
  sql: SqlClient,
  name: string,
  shadow: string,
  folder: RebuildFolder,
): ShadowSink {
  return {
    add: (page, settled) => folder.fold(page, settled),
    flush: async (from, upTo, count) => {
      const write = folder.takeChanged();
      await sql.transaction(async (tx) => {
        const checkpoint = await lockCheckpoint(tx, shadow);
        if (comparePositions(checkpoint, from) !== 0) {
          throw new Error(`projection ${name}: another process wrote ${shadow}`);
        }
        await write(tx);
        await writeCheckpoint(tx, shadow, upTo, count);
      });
      folder.trim();
      return { applied: count, position: upTo };
    },
  };
}

/** The general path: a flush is one `applyBatch` of the events gathered since the last. */
function batchSink(sql: SqlClient, projection: Projection, shadow: string): ShadowSink {
  let pending: RecordedEvent[] = [];
  // Only this rebuild writes the shadow table until the swap, so what it wrote
  // last is what the table holds: no need to read rows back.
  const cache = new Map<string, unknown>();
  return {
    add: (page) => {
      // A case touched by many pages is written once per flush, not once per page.
      for (const event of page) pending.push(event);
      return Promise.resolve();
    },
    flush: async () => {
      const batch = pending;
      pending = [];
      const result = await applyProjectionBatch(sql, projection, shadow, batch, cache);
      return { applied: result.applied, position: result.position };
    },
  };
}

/**
 * The one pipeline both sinks run in: the next page is requested while this
 * one is added, and a flush is written (its own transaction, on another
 * connection) while the pages of the next one are read. Flushes stay in order:
 * the next one starts only once the previous one has committed, so the
 * checkpoint only moves forward.
 */
async function runPipeline(
  store: EventStore,
  sink: ShadowSink,
  start: Position,
  batchSize: number,
  flushEvents: number,
  onFlushed: (flushed: FlushResult) => void,
): Promise<void> {
  let committed = start;
  let cursor = start;
  let next = readPage(store, cursor, batchSize);
  let writing: Promise<void> = Promise.resolve();
  let added = 0;
  const settled = (): Promise<void> => writing;
  const startFlush = (): void => {
    if (added === 0) return;
    const count = added;
    added = 0;
    writing = sink.flush(committed, cursor, count).then((flushed) => {
      committed = flushed.position;
      onFlushed(flushed);
    });
    // Observed below; this keeps a failure from surfacing as unhandled while a page is awaited.
    writing.catch(() => undefined);
  };
  try {
    for (;;) {
      const page = await next;
      const last = page[page.length - 1];
      if (last === undefined) break;
      cursor = last.position;
      next = readPage(store, cursor, batchSize);
      await sink.add(page, settled);
      added += page.length;
      if (added >= flushEvents) {
        await writing;
        startFlush();
      }
    }
    await writing;
    startFlush();
    await writing;
  } catch (error) {
    // Neither the page nor the flush still in flight may fail unobserved.
    next.catch(() => undefined);
    await writing.catch(() => undefined);
    throw error;
  }
}

/** Every event after `from` that read-all returns now, up to a bound (the swap's tail is short). */
async function readTail(
  store: EventStore,
  from: Position,
  batchSize: number,
  maxEvents = 50_000,
): Promise<RecordedEvent[]> {
  const tail: RecordedEvent[] = [];
  let cursor = from;
  while (tail.length < maxEvents) {
    const page = await readPage(store, cursor, batchSize);
    const last = page[page.length - 1];
    if (last === undefined) break;
    for (const event of page) tail.push(event);
    cursor = last.position;
  }
  return tail;
}

function readPage(store: EventStore, from: Position, limit: number): Promise<RecordedEvent[]> {
  return store.readAll(comparePositions(from, START) === 0 ? undefined : from, limit);
}

async function swapTables(tx: SqlExecutor, live: string, shadow: string): Promise<void> {
  const retired = assertIdentifier(`${live}_retired`);
  await tx.query(`DROP TABLE IF EXISTS ${retired}`);
  await tx.query(`ALTER TABLE ${live} RENAME TO ${retired}`);
  await tx.query(`ALTER TABLE ${shadow} RENAME TO ${live}`);
  await tx.query(`DROP TABLE ${retired}`);
  // Index names follow the table name, so the next shadow can reuse its own.
  const { rows } = await tx.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
    [live],
  );
  for (const { indexname } of rows) {
    if (indexname.startsWith(`${shadow}_`)) {
      const renamed = assertIdentifier(`${live}_${indexname.slice(shadow.length + 1)}`);
      await tx.query(`ALTER INDEX ${assertIdentifier(indexname)} RENAME TO ${renamed}`);
    }
  }
  await tx.query(
    `UPDATE ${CHECKPOINTS_TABLE} AS l
        SET commit_position = s.commit_position, prepare_position = s.prepare_position,
            events_applied = s.events_applied, updated_at = now()
       FROM ${CHECKPOINTS_TABLE} AS s
      WHERE l.name = $1 AND s.name = $2`,
    [live, shadow],
  );
  await deleteCheckpoint(tx, shadow);
}

async function eventsAppliedTo(sql: SqlClient, table: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `SELECT events_applied::text AS n FROM ${CHECKPOINTS_TABLE} WHERE name = $1`,
    [table],
  );
  return rows[0] ? Number(rows[0].n) : 0;
}

export async function countRows(sql: SqlExecutor, table: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${assertIdentifier(table)}`,
  );
  return Number(rows[0]?.n ?? 0);
}
