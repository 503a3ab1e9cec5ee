import { evolve, initialCaseState } from '@caseledger/domain';
import { comparePositions, type RecordedEvent, type SqlExecutor } from '@caseledger/event-store';
import type { RebuildFolder } from '../projection';
import { caseIdOfStream, caseIdsOf, toCaseEvent, type CaseloadEntry } from './caseload.projection';
import {
  insertNewCaseloadEntries,
  loadCaseloadEntries,
  saveCaseloadEntries,
} from './caseload.store';

/** Rows a rebuild keeps in memory (about 100 MB of folded states at most). */
export const CACHE_LIMIT = 50_000;

/**
 * The rebuild's fold: the shadow table is written by the rebuild
 * alone, so the rows it last wrote are the ones in memory and are never read
 * back or re-parsed while they stay there. Each changed row is serialised once
 * per write; past CACHE_LIMIT rows, the unchanged ones are dropped after a
 * commit and read back (once committed) when touched again.
 */
export class CaseloadRebuildFolder implements RebuildFolder {
  private readonly entries = new Map<string, CaseloadEntry>();
  private changed = new Set<string>();
  /** Cases whose row a write of this folder has stored (or that were read back from the table). */
  private readonly written = new Set<string>();
  private trimmed = false;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly table: string,
    private readonly limit = CACHE_LIMIT,
  ) {}

  async fold(events: readonly RecordedEvent[], settled: () => Promise<void>): Promise<void> {
    if (this.trimmed && caseIdsOf(events).some((id) => !this.entries.has(id))) {
      // The write in flight may trim when it commits: which rows are missing is asked after it.
      await settled();
      const missing = caseIdsOf(events).filter((id) => !this.entries.has(id));
      for (const [id, entry] of await loadCaseloadEntries(this.sql, this.table, missing)) {
        this.entries.set(id, entry);
        this.written.add(id);
      }
    }
    for (const event of events) {
      const caseId = caseIdOfStream(event.streamId);
      if (caseId === undefined) continue;
      const entry = this.entries.get(caseId);
      // evolve stays pure: each event yields a new state; only the last one per write is serialised.
      if (entry === undefined) {
        const state = evolve(initialCaseState(), toCaseEvent(event));
        this.entries.set(caseId, { state, position: event.position });
      } else {
        if (comparePositions(event.position, entry.position) <= 0) continue;
        // The entry is this folder's own (never handed out while folding): updated in place.
        entry.state = evolve(entry.state, toCaseEvent(event));
        entry.position = event.position;
      }
      this.changed.add(caseId);
    }
  }

  takeChanged(): (tx: SqlExecutor) => Promise<number> {
    // Snapshots of the entries (folding goes on while the write is in flight),
    // split into rows the table holds already (upsert) and new ones (COPY).
    const fresh = new Map<string, CaseloadEntry>();
    const stored = new Map<string, CaseloadEntry>();
    for (const id of this.changed) {
      const { state, position } = this.entries.get(id) as CaseloadEntry;
      (this.written.has(id) ? stored : fresh).set(id, { state, position });
      this.written.add(id);
    }
    this.changed = new Set();
    return async (tx) =>
      (await saveCaseloadEntries(tx, this.table, stored)) +
      (await insertNewCaseloadEntries(tx, this.table, fresh));
  }

  trim(): void {
    if (this.entries.size <= this.limit) return;
    for (const id of this.entries.keys()) if (!this.changed.has(id)) this.entries.delete(id);
    this.trimmed = true;
  }
}
