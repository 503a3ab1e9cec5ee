import type { RecordedEvent, SqlExecutor } from '@caseledger/event-store';
import type { Projection } from '../projection';
import {
  caseIdsOf,
  projectCaseloadBatch,
  toCaseEvent,
  type CaseloadEntry,
} from './caseload.projection';
import { CACHE_LIMIT, CaseloadRebuildFolder } from './caseload.rebuild-folder';
import { loadCaseloadEntries, saveCaseloadEntries } from './caseload.store';
import { CASELOAD_TABLE, caseloadTableDdl } from './caseload.table';

/**
 * The caseload projection: read many events, load the affected rows once,
 * evolve them with the domain's own `evolve`, write each case once per batch.
 */
export const caseloadProjection: Projection = {
  name: 'caseload',
  table: CASELOAD_TABLE,
  createTableSql: caseloadTableDdl,
  async applyBatch(
    tx: SqlExecutor,
    table: string,
    events: readonly RecordedEvent[],
    cache?: Map<string, unknown>,
  ) {
    const ids = caseIdsOf(events);
    if (ids.length === 0) return 0;
    const current = new Map<string, CaseloadEntry>();
    const missing = cache ? ids.filter((id) => !cache.has(id)) : ids;
    if (cache)
      for (const id of ids) if (cache.has(id)) current.set(id, cache.get(id) as CaseloadEntry);
    for (const [id, entry] of await loadCaseloadEntries(tx, table, missing)) current.set(id, entry);
    const changed = projectCaseloadBatch(current, events, toCaseEvent);
    const written = await saveCaseloadEntries(tx, table, changed);
    if (cache) {
      if (cache.size > CACHE_LIMIT) cache.clear();
      for (const [id, entry] of changed) cache.set(id, entry);
    }
    return written;
  },
  rebuildFolder: (sql: SqlExecutor, table: string) => new CaseloadRebuildFolder(sql, table),
};
