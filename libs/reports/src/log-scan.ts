import {
  caseStreamId,
  evolve,
  initialCaseState,
  upcastRecorded,
  type CaseEvent,
  type CaseState,
} from '@caseledger/domain';
import {
  comparePositions,
  positionToString,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@caseledger/event-store';

export const CASE_STREAM_PREFIX = caseStreamId('');

/** Text members that no report reads (free text may hold personal data): dropped before folding. */
const FREE_TEXT = [
  'progress',
  'justification',
  'description',
  'plan',
  'statement',
  'summary',
  'details',
  'note',
  'how',
  'instrument',
  'activityName',
  'providerName',
  'requestedInformation',
  'score',
] as const;

/**
 * The event with its free text and the customer's name blanked, and the
 * decisions' explanations dropped: nothing `evolve` derives a date, status or
 * count from, so the fold keeps every report field while its memory stays
 * small, and no personal data can reach a report (BRIEF "PersonalDataDisposed").
 */
export function compactEvent(event: CaseEvent): CaseEvent {
  const data = { ...(event.data as Record<string, unknown>) };
  for (const key of FREE_TEXT) if (typeof data[key] === 'string') data[key] = '';
  if (data.customer && typeof data.customer === 'object')
    data.customer = { id: '', firstName: '', lastName: '' };
  if (event.type === 'CaseSoftExited' || event.type === 'CaseClosed') data.exit = null;
  return { ...event, data } as CaseEvent;
}

/** The event's stream id minus `case-`, or undefined for a non-case stream (checkpoints, reports). */
export const caseIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(CASE_STREAM_PREFIX) ? streamId.slice(CASE_STREAM_PREFIX.length) : undefined;

export interface ScanProgress {
  /** Events read so far (all streams). */
  events: number;
  position: Position | undefined;
}

export interface ScanOptions {
  /** Page size of the keyset read (default 5,000). */
  batchSize?: number;
  onProgress?: (progress: ScanProgress) => void;
}

/**
 * Every event up to and including `upTo`, in global order, page by page
 * (`readAll` is a keyset scan on the store's position). The next page is
 * requested while this one is handled, as the raw scan in bench:reports does.
 * A position is stable: the adapters only return events of finished
 * transactions, so nothing can later appear at or below a returned position.
 */
export async function scanLog(
  store: EventStore,
  upTo: Position,
  handle: (event: RecordedEvent) => void,
  options: ScanOptions = {},
): Promise<number> {
  const batch = options.batchSize ?? 5_000;
  let events = 0;
  let next = store.readAll(undefined, batch);
  for (;;) {
    const page = await next;
    const last = page[page.length - 1];
    if (!last) break;
    const more = comparePositions(last.position, upTo) < 0;
    if (more) next = store.readAll(last.position, batch);
    for (const event of page) {
      if (comparePositions(event.position, upTo) > 0) break;
      events += 1;
      handle(event);
    }
    options.onProgress?.({ events, position: last.position });
    if (!more) break;
  }
  return events;
}

/**
 * The events that can move a program exit or the fields the exit report shows
 * (R1 program, R2/R12 center and area, R14 closure, R17 soft exit, R21
 * reversal, and the qualifying contacts a v1 closure's exit date falls back
 * on, R8/R22). The others (enrollments, barriers, goals, assessments,
 * attempts, follow-ups, corrections of names…) change nothing a report
 * reads, so they are neither upcast nor folded: a type any later schema adds
 * (PersonalDataDisposed) cannot change an exit report either.
 */
export const EXIT_FACTS: ReadonlySet<string> = new Set([
  'CaseOpened',
  'CaseTransferred',
  'ContactRecorded',
  'ContactVoided',
  'CaseSoftExited',
  'SoftExitReversed',
  'CaseClosed',
]);

/**
 * Each case folded with the domain's own `evolve` (after upcasting) over the
 * events of `types`, as it stood at `upTo`.
 */
export async function foldCasesAt(
  store: EventStore,
  upTo: Position,
  options: ScanOptions = {},
  types: ReadonlySet<string> = EXIT_FACTS,
): Promise<Map<string, CaseState>> {
  const cases = new Map<string, CaseState>();
  await scanLog(
    store,
    upTo,
    (recorded) => {
      if (!types.has(recorded.type)) return;
      const caseId = caseIdOfStream(recorded.streamId);
      if (caseId === undefined) return;
      const event = compactEvent(upcastRecorded(recorded));
      cases.set(caseId, evolve(cases.get(caseId) ?? initialCaseState(), event));
    },
    options,
  );
  return cases;
}

export { positionToString };
