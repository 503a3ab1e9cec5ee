import type { RecordedEvent } from '@caseledger/event-store';
import type { SqlExecutor } from '@caseledger/event-store';

/**
 * A read model fed by the store's catch-up subscription. `applyBatch` runs
 * inside the transaction that also moves the checkpoint (exactly-once effect),
 * against `table` — the live table, or the shadow table during a rebuild.
 */
export interface Projection {
  /** The name the CLI and the checkpoints use (`caseload`). */
  readonly name: string;
  /** The live table. */
  readonly table: string;
  /**
   * Idempotent DDL statements for a table of this projection (live or shadow):
   * the CREATE TABLE first, then its indexes (a rebuild builds them last).
   */
  createTableSql(table: string): string[];
  /**
   * Applies a batch; returns how many rows it wrote. `cache` (a rebuild's own,
   * for a table only it writes) may hold rows as this process last wrote them,
   * so they need not be read back; it is dropped if the rebuild fails.
   */
  applyBatch(
    tx: SqlExecutor,
    table: string,
    events: readonly RecordedEvent[],
    cache?: Map<string, unknown>,
  ): Promise<number>;
  /**
   * Optional rebuild fast path for a table only the rebuild writes: events are
   * folded into rows held in memory page by page (so parsed events die young),
   * and each changed row is serialised once per flush. Without it a rebuild
   * uses `applyBatch`.
   */
  rebuildFolder?(sql: SqlExecutor, table: string): RebuildFolder;
}

export interface RebuildFolder {
  /**
   * Folds events into the rows in memory. A row dropped by `trim` is read back
   * from the table, and only after `settled()` (every earlier write committed).
   */
  fold(events: readonly RecordedEvent[], settled: () => Promise<void>): Promise<void>;
  /**
   * Takes the rows changed since the last call (synchronously: what is folded
   * later belongs to the next write) and returns the write that stores them.
   */
  takeChanged(): (tx: SqlExecutor) => Promise<number>;
  /** Called once every write so far has committed: may drop unchanged rows from memory. */
  trim(): void;
}
