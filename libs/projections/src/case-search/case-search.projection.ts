import { upcast, type CaseStatus, type CaseEvent } from '@caseledger/domain';
import { comparePositions, type Position, type RecordedEvent } from '@caseledger/event-store';
import { caseIdOfStream } from '../caseload/caseload.projection';

/**
 * The case-search read model's pure core (DESIGN.md "Additions": finding
 * cases). A row holds what a back office searches by: the customer, the
 * program, the assignment (R12 transfers move it), the status and the names.
 * It folds only the events that change those, so an event type it does not
 * know (a later addition) passes by without parking the case.
 */
export interface CaseSearchRow {
  caseId: string;
  customerId: string;
  firstName: string;
  lastName: string;
  program: string;
  careerCenterId: string;
  localAreaId: string;
  caseManagerId: string;
  status: CaseStatus;
  openedOn: string;
  exitDate: string | null;
  closedOn: string | null;
  /** R16 v2: a suspension for closure awaits review (beside the status). */
  suspensionPending: boolean;
  /** Personal data disposed of (records retention): the names are blank from then on. */
  personalDataDisposed: boolean;
  position: Position;
}

/** The retention event (BRIEF shared contract): names are blanked, the rest stays. */
export const PERSONAL_DATA_DISPOSED = 'PersonalDataDisposed';

const FOLDED = new Set<string>([
  'CaseOpened',
  'CustomerDetailsCorrected',
  'CaseTransferred',
  'CaseSuspended',
  'SuspensionReturned',
  'CaseClosed',
  'CaseSoftExited',
  'SoftExitReversed',
]);

/** Lower case, accents dropped (NFD, combining marks removed): "Ćelik" and "celik" match. */
export function searchKey(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** True when the event can change a search row (the others are skipped before any upcast). */
export const foldsIntoSearch = (type: string): boolean =>
  type === PERSONAL_DATA_DISPOSED || FOLDED.has(type);

const toEvent = (event: RecordedEvent): CaseEvent =>
  upcast({
    type: event.type,
    schemaVersion: event.metadata.schemaVersion,
    data: event.data,
    eventId: event.eventId,
  });

/**
 * Folds one event into a row (undefined: no row yet). Events at or below the
 * row's position change nothing (STYLE.md 4). Returns the row unchanged (same
 * object) when the event does not concern search.
 */
export function foldSearchRow(
  row: CaseSearchRow | undefined,
  event: RecordedEvent,
): CaseSearchRow | undefined {
  const caseId = caseIdOfStream(event.streamId);
  if (caseId === undefined) return row;
  if (row && comparePositions(event.position, row.position) <= 0) return row;
  // Not a search fact: the row (and its position) stay as they are, so no write.
  if (!foldsIntoSearch(event.type)) return row;
  if (event.type === PERSONAL_DATA_DISPOSED) {
    return row
      ? {
          ...row,
          firstName: '',
          lastName: '',
          personalDataDisposed: true,
          position: event.position,
        }
      : row;
  }
  const e = toEvent(event);
  if (e.type === 'CaseOpened') {
    const d = e.data;
    return {
      caseId: d.caseId,
      customerId: d.customer.id,
      firstName: d.customer.firstName,
      lastName: d.customer.lastName,
      program: d.program,
      careerCenterId: d.careerCenterId,
      localAreaId: d.localAreaId,
      caseManagerId: d.caseManagerId,
      status: 'ACTIVE',
      openedOn: d.openedOn,
      exitDate: null,
      closedOn: null,
      suspensionPending: false,
      personalDataDisposed: false,
      position: event.position,
    };
  }
  if (!row) return row;
  const at = { ...row, position: event.position };
  switch (e.type) {
    case 'CustomerDetailsCorrected':
      // Disposed data stays disposed: a later correction does not bring names back.
      return row.personalDataDisposed
        ? at
        : { ...at, firstName: e.data.firstName, lastName: e.data.lastName };
    case 'CaseTransferred':
      return {
        ...at,
        careerCenterId: e.data.to.careerCenterId,
        localAreaId: e.data.to.localAreaId,
        caseManagerId: e.data.to.caseManagerId,
      };
    case 'CaseSuspended':
      return { ...at, suspensionPending: true };
    case 'SuspensionReturned':
      return { ...at, suspensionPending: false };
    case 'CaseClosed':
      return {
        ...at,
        status: 'CLOSED',
        suspensionPending: false,
        exitDate: e.data.exitDate ?? row.exitDate ?? row.openedOn,
        closedOn: e.data.closedOn,
      };
    case 'CaseSoftExited':
      return { ...at, status: 'SOFT_EXITED', exitDate: e.data.exitDate };
    case 'SoftExitReversed':
      return { ...at, status: 'ACTIVE', exitDate: null };
    default:
      return at;
  }
}

/** Applies a batch to the rows it touches; returns only the rows that changed. Pure. */
export function projectSearchBatch(
  current: ReadonlyMap<string, CaseSearchRow>,
  events: readonly RecordedEvent[],
): Map<string, CaseSearchRow> {
  const changed = new Map<string, CaseSearchRow>();
  for (const event of events) {
    const caseId = caseIdOfStream(event.streamId);
    if (caseId === undefined) continue;
    const before = changed.get(caseId) ?? current.get(caseId);
    const after = foldSearchRow(before, event);
    if (after !== undefined && after !== before) changed.set(caseId, after);
  }
  return changed;
}
