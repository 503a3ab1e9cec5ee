import { caseStreamId } from '@caseledger/domain';
import type { EventStore, Position } from '@caseledger/event-store';

const CASE_PREFIX = caseStreamId('');

/**
 * Each case stream's current career center, from the log itself (CaseOpened,
 * then every CaseTransferred): the export's `careerCenterId` filter and R13's
 * need-to-know scoping must not depend on a read model that may lag. Holds one
 * entry per case, not per event.
 */
export async function caseCentersFromLog(
  store: EventStore,
  onProgress?: (events: number) => void,
): Promise<Map<string, string>> {
  const centers = new Map<string, string>();
  let cursor: Position | undefined;
  let scanned = 0;
  for (;;) {
    const page = await store.readAll(cursor, 2000);
    for (const event of page) {
      cursor = event.position;
      if (!event.streamId.startsWith(CASE_PREFIX)) continue;
      const data = event.data as {
        careerCenterId?: unknown;
        to?: { careerCenterId?: unknown };
      } | null;
      if (event.type === 'CaseOpened' && typeof data?.careerCenterId === 'string') {
        centers.set(event.streamId, data.careerCenterId);
      } else if (event.type === 'CaseTransferred' && typeof data?.to?.careerCenterId === 'string') {
        centers.set(event.streamId, data.to.careerCenterId);
      }
    }
    scanned += page.length;
    onProgress?.(scanned);
    if (page.length < 2000) break;
  }
  return centers;
}
