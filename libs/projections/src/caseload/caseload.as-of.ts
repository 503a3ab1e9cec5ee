import { businessDateAt, caseStreamId, type BusinessDate } from '@caseledger/domain';
import type { EventStore, Position } from '@caseledger/event-store';
import { foldRecorded } from '../executor/domain-bridge';

const CASE_PREFIX = caseStreamId('');

export interface CaseloadAsOfItem {
  caseId: string;
  customerName: string;
  status: string;
  program: string | null;
  localAreaId: string;
  careerCenterId: string;
  caseManagerId: string;
  lastQualifyingContactOn: BusinessDate | null;
  contactDueOn: BusinessDate | null;
  softExitDueOn: BusinessDate | null;
  followUpDueOn: BusinessDate | null;
  nextDueOn: BusinessDate | null;
  contactOverdue: boolean;
  openBarriers: number;
  /** The revision the case stood at. */
  revision: number;
}

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

const earliest = (dates: Array<BusinessDate | null>): BusinessDate | null =>
  dates.reduce<BusinessDate | null>(
    (min, d) => (d !== null && (min === null || d < min) ? d : min),
    null,
  );

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
    const state = foldRecorded(events);
    if (query.visibleCareerCenters && !query.visibleCareerCenters.includes(state.careerCenterId)) {
      continue;
    }
    const today = businessDateAt(query.asOf, query.timeZoneOf(state.localAreaId));
    const status = state.status === 'NONE' ? 'ACTIVE' : state.status;
    items.push({
      caseId: state.caseId || streamId.slice(CASE_PREFIX.length),
      customerName: state.customer
        ? `${state.customer.firstName} ${state.customer.lastName}`.trim()
        : '',
      status,
      program: state.program,
      localAreaId: state.localAreaId,
      careerCenterId: state.careerCenterId,
      caseManagerId: state.caseManagerId,
      lastQualifyingContactOn: state.lastQualifyingContactOn,
      contactDueOn: state.contactDueOn,
      softExitDueOn: state.softExitDueOn,
      followUpDueOn: state.followUpDueOn,
      nextDueOn: earliest([state.contactDueOn, state.softExitDueOn, state.followUpDueOn]),
      contactOverdue:
        status === 'ACTIVE' && state.contactDueOn !== null && today > state.contactDueOn,
      openBarriers: state.barriers.filter((b) => b.status === 'OPEN').length,
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
