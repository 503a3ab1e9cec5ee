import {
  evolve,
  initialCaseState,
  upcastRecorded,
  type CaseEvent,
  type CaseState,
} from '@caseledger/domain';
import { comparePositions, type Position, type RecordedEvent } from '@caseledger/event-store';

/**
 * The caseload projection's pure core. A case's entry is the domain's folded
 * state plus the store position it was built to; an event at or below that
 * position changes nothing (STYLE.md 4: projections survive replay).
 */
export interface CaseloadEntry {
  state: CaseState;
  position: Position;
}

const CASE_STREAM_PREFIX = 'case-';

/** The case id of a `case-<uuid>` stream; undefined for any other stream. */
export function caseIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(CASE_STREAM_PREFIX)
    ? streamId.slice(CASE_STREAM_PREFIX.length)
    : undefined;
}

/**
 * The stored event as the domain sees it today: the domain's `upcastRecorded`
 * (its upcasters lift an older schema version, DESIGN.md "Events"; the
 * envelope stays out), under the name the projector's callers use.
 */
export const toCaseEvent: (event: RecordedEvent) => CaseEvent = upcastRecorded;

/** The case ids a batch touches, in first-seen order. */
export function caseIdsOf(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = caseIdOfStream(event.streamId);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/**
 * Applies a batch to the entries it touches and returns only the entries that
 * changed. `current` holds the stored entries of those cases (absent: never
 * seen). Pure: nothing in `current` is mutated.
 */
export function projectCaseloadBatch(
  current: ReadonlyMap<string, CaseloadEntry>,
  events: readonly RecordedEvent[],
  convert: (event: RecordedEvent) => CaseEvent = toCaseEvent,
): Map<string, CaseloadEntry> {
  const changed = new Map<string, CaseloadEntry>();
  for (const event of events) {
    const caseId = caseIdOfStream(event.streamId);
    if (caseId === undefined) continue;
    const entry = changed.get(caseId) ?? current.get(caseId);
    if (entry && comparePositions(event.position, entry.position) <= 0) continue;
    const state = evolve(entry?.state ?? initialCaseState(), convert(event));
    changed.set(caseId, { state, position: event.position });
  }
  return changed;
}
