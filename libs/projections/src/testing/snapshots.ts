import { foldCase, type CaseState } from '@caseledger/domain';
import {
  comparePositions,
  type EventStore,
  type Position,
  type SqlExecutor,
} from '@caseledger/event-store';
import { caseIdOfStream, toCaseEvent } from '../caseload/caseload.projection';
import { caseloadRowOf, type CaseloadRow } from '../caseload/caseload.row';
import { caseloadSelectList, rowFromDb } from '../caseload/caseload.codec';
import { CASELOAD_TABLE } from '../caseload/caseload.table';

/** Every stored column of every row, in case order: two equal snapshots are a diff of 0. */
export async function snapshotTable(db: SqlExecutor, table = CASELOAD_TABLE): Promise<unknown[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${caseloadSelectList()}, state::text AS state FROM ${table} ORDER BY case_id`,
  );
  return rows;
}

/** The caseload rows as folding each case stream from the store gives them (the decider's view). */
export async function expectedRowsFromStore(
  store: EventStore,
  until?: Position,
): Promise<Map<string, CaseloadRow & { position: string }>> {
  const streams = new Set<string>();
  let from: Position | undefined;
  for (;;) {
    const page = await store.readAll(from, 1000);
    const last = page[page.length - 1];
    if (!last) {
      // Read-all may lag behind a commit while another transaction runs on the server.
      if (until && (!from || comparePositions(from, until) < 0)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      break;
    }
    for (const e of page) if (caseIdOfStream(e.streamId) !== undefined) streams.add(e.streamId);
    from = last.position;
  }
  const expected = new Map<string, CaseloadRow & { position: string }>();
  for (const streamId of streams) {
    const events = await store.readStream(streamId);
    const state: CaseState = foldCase(events.map(toCaseEvent));
    const row = caseloadRowOf(state);
    const last = events[events.length - 1];
    if (row && last)
      expected.set(row.caseId, {
        ...row,
        position: `${last.position.commit}/${last.position.prepare}`,
      });
  }
  return expected;
}

export async function actualRows(
  db: SqlExecutor,
  table = CASELOAD_TABLE,
): Promise<Map<string, CaseloadRow & { position: string }>> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT ${caseloadSelectList()} FROM ${table}`,
  );
  return new Map(
    rows.map((r) => {
      const row = rowFromDb(r);
      return [row.caseId, { ...row, position: `${row.position.commit}/${row.position.prepare}` }];
    }),
  );
}
