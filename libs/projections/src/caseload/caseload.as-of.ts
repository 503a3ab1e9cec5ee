import { businessDateAt, caseStreamId, foldCase, upcastRecorded } from '@caseledger/domain';
import type { EventStore, Position } from '@caseledger/event-store';
import { isContactOverdue, type CaseloadItem } from './caseload.queries';
import { caseloadRowOf, type CaseloadRow } from './caseload.row';

const CASE_PREFIX = caseStreamId('');

/** The live caseload item's fields an as-of item copies from the row (the projection's own row code). */
const ROW_FIELDS = [
  'caseId',
  'customerName',
  'status',
  'program',
  'localAreaId',
  'careerCenterId',
  'caseManagerId',
  'lastQualifyingContactOn',
  'contactDueOn',
  'softExitDueOn',
  'followUpDueOn',
  'nextDueOn',
  'openBarriers',
] as const satisfies ReadonlyArray<keyof CaseloadRow & keyof CaseloadItem>;

/** A caseload item as it stood then: the live item's fields, and the revision the case stood at. */
export type CaseloadAsOfItem = Pick<
  CaseloadItem,
  (typeof ROW_FIELDS)[number] | 'contactOverdue'
> & {
  revision: number;
};

export interface CaseloadAsOfQuery {
  caseManagerId: string;
  asOf: Date;
  /** R13: the centers the reader may see; undefined: all. */
  visibleCareerCenters?: readonly string[];
  /** The area's time zone (its local date at `asOf` decides contactOverdue). */
  timeZoneOf: (localAreaId: string) => string;
  page: number;
  pageSize: number;
}

/**
 * A case manager's caseload as it stood at `asOf`, from the log rather than the
 * live read model (which only knows now): one scan in global order finds the
 * cases assigned to the manager at that instant (CaseOpened, then each
 * CaseTransferred recorded by then), and each is folded from its own events
 * recorded by then. Memory holds one assignment per case, not the events.
 */
export async function caseloadAsOf(
  store: EventStore,
  query: CaseloadAsOfQuery,
): Promise<{ cases: CaseloadAsOfItem[]; page: number; pageSize: number; total: number }> {
  const until = query.asOf.getTime();
  const manager = new Map<string, string>();
  let cursor: Position | undefined;
  for (;;) {
    const page = await store.readAll(cursor, 2000);
    for (const event of page) {
      cursor = event.position;
      if (!event.streamId.startsWith(CASE_PREFIX)) continue;
      if (Date.parse(event.metadata.recordedAt) > until) continue;
      const data = event.data as {
        caseManagerId?: unknown;
        to?: { caseManagerId?: unknown };
      } | null;
      if (event.type === 'CaseOpened' && typeof data?.caseManagerId === 'string') {
        manager.set(event.streamId, data.caseManagerId);
      } else if (event.type === 'CaseTransferred' && typeof data?.to?.caseManagerId === 'string') {
        manager.set(event.streamId, data.to.caseManagerId);
      }
    }
    if (page.length < 2000) break;
  }
  const items: CaseloadAsOfItem[] = [];
  for (const [streamId, id] of manager) {
    if (id !== query.caseManagerId) continue;
    const events = await store.readStream(streamId, { recordedUntil: query.asOf });
    if (events.length === 0) continue;
    // The stream held its CaseOpened by then (that is how the scan found it), so it has a row.
    const row = caseloadRowOf(foldCase(events.map(upcastRecorded)));
    if (!row) continue;
    if (query.visibleCareerCenters && !query.visibleCareerCenters.includes(row.careerCenterId)) {
      continue;
    }
    const today = businessDateAt(query.asOf, query.timeZoneOf(row.localAreaId));
    const fields = Object.fromEntries(ROW_FIELDS.map((f) => [f, row[f]])) as Pick<
      CaseloadRow,
      (typeof ROW_FIELDS)[number]
    >;
    items.push({
      ...fields,
      caseId: row.caseId || streamId.slice(CASE_PREFIX.length),
      contactOverdue: isContactOverdue(row, today),
      revision: events[events.length - 1].revision,
    });
  }
  items.sort(
    (a, b) =>
      (a.nextDueOn ?? '9999-12-31').localeCompare(b.nextDueOn ?? '9999-12-31') ||
      a.caseId.localeCompare(b.caseId),
  );
  const start = (query.page - 1) * query.pageSize;
  return {
    cases: items.slice(start, start + query.pageSize),
    page: query.page,
    pageSize: query.pageSize,
    total: items.length,
  };
}
