import {
  comparePositions,
  parsePosition,
  positionToString,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../event-store.port';
import { isCoveredEvent, type SignedCheckpoint } from './checkpoint';
import type { CheckpointStore } from './checkpoint-store.port';
import { HORIZON_WAIT_MS, horizonBehind, sleep, type StoreTail } from './store-verifier';

/** The export file format (NDJSON, one JSON object a line); README "For auditors". */
export const EXPORT_FORMAT = 'caseledger-export/1';

export interface ExportFilters {
  careerCenterId?: string;
  caseId?: string;
  /** Exclusive: the `position` of the last line of an interrupted export. */
  fromPosition?: Position;
  recordedFrom?: Date;
  recordedTo?: Date;
}

export interface ExportOptions {
  filters: ExportFilters;
  /** PostgreSQL: see StoreTail (waits for the read horizon, never past the store's end). */
  tail?: StoreTail;
  /** Whether an event belongs in the export (the filters by stream, and R13 scoping). */
  includeStream: (streamId: string) => boolean;
  publicKeyPem: string;
  keyId: string;
  /** CHECKPOINT_INTERVAL_EVENTS, so a verifier can tell a removed newest checkpoint. */
  checkpointIntervalEvents?: number;
  pageSize?: number;
  now?: Date;
  /** Told of each stream whose events went out (access records). */
  onStreamExported?: (streamId: string) => void;
  onProgress?: (eventsScanned: number) => void;
}

export interface ExportedEventLine {
  kind: 'event';
  position: string;
  streamId: string;
  revision: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  hash: string;
  previousHash: string;
}

const line = (value: unknown): string => `${JSON.stringify(value)}\n`;

/**
 * The auditors' export as NDJSON lines, produced lazily page by page (the
 * consumer's back-pressure paces the reads, so memory stays flat however large
 * the store). Lines:
 *
 * - `export`: the header, with the filters and the public key;
 * - `checkpoint`: each signed checkpoint, right after the last event it covers
 *   (and first the one the export starts from, as the anchor of the chain);
 * - `event`: an event that passes the filters, with everything its hash covers;
 * - `elided`: only the position and hash of an event inside a checkpoint's range
 *   that the filters leave out, so every checkpoint in the file can still be
 *   recomputed without revealing the event;
 * - `end`: counts, so a truncated file shows.
 *
 * Resuming: pass the last line's `position` as `fromPosition`. The scan then
 * restarts at the checkpoint at or before it, so the first checkpoint range
 * is complete again; lines at or before `fromPosition` are elided ones only.
 */
export async function* exportLines(
  store: EventStore,
  checkpointStore: CheckpointStore,
  options: ExportOptions,
): AsyncGenerator<string> {
  const { filters } = options;
  const checkpoints = await checkpointStore.list();
  const from = filters.fromPosition;
  // The newest checkpoint at or before `fromPosition` anchors the file.
  let anchorIndex = -1;
  if (from) {
    for (let i = 0; i < checkpoints.length; i += 1) {
      if (comparePositions(parsePosition(checkpoints[i].position), from) <= 0) anchorIndex = i;
      else break;
    }
  }
  const anchor: SignedCheckpoint | undefined = checkpoints[anchorIndex];
  const lastCheckpoint = checkpoints[checkpoints.length - 1];
  const coveredUntil = lastCheckpoint ? parsePosition(lastCheckpoint.position) : undefined;

  yield line({
    kind: 'export',
    format: EXPORT_FORMAT,
    exportedAt: (options.now ?? new Date()).toISOString(),
    filters: {
      ...(filters.careerCenterId ? { careerCenterId: filters.careerCenterId } : {}),
      ...(filters.caseId ? { caseId: filters.caseId } : {}),
      ...(filters.fromPosition ? { fromPosition: positionToString(filters.fromPosition) } : {}),
      ...(filters.recordedFrom ? { recordedFrom: filters.recordedFrom.toISOString() } : {}),
      ...(filters.recordedTo ? { recordedTo: filters.recordedTo.toISOString() } : {}),
    },
    keyId: options.keyId,
    ...(options.checkpointIntervalEvents !== undefined
      ? { checkpointIntervalEvents: options.checkpointIntervalEvents }
      : {}),
    publicKey: options.publicKeyPem,
    hashChain:
      'hash = SHA-256 hex of UTF-8 (previousHash + JCS({type, data, metadata})); see README "For auditors"',
  });
  if (anchor) yield line({ kind: 'checkpoint', anchor: true, ...anchor });

  let next = anchorIndex + 1; // the next checkpoint to close
  let boundary = checkpoints[next] ? parsePosition(checkpoints[next].position) : undefined;
  let cursor: Position | undefined = anchor ? parsePosition(anchor.position) : undefined;
  let exported = 0;
  let elided = 0;
  let scanned = 0;
  let lastPosition: string | undefined;
  const pageSize = options.pageSize ?? 1000;
  const horizonDeadline = Date.now() + HORIZON_WAIT_MS;

  const included = (event: RecordedEvent): boolean => {
    if (from && comparePositions(event.position, from) <= 0) return false;
    if (!options.includeStream(event.streamId)) return false;
    const recordedAt = Date.parse(event.metadata.recordedAt);
    if (filters.recordedFrom && recordedAt < filters.recordedFrom.getTime()) return false;
    if (filters.recordedTo && recordedAt > filters.recordedTo.getTime()) return false;
    return true;
  };

  for (;;) {
    const page = await store.readAll(cursor, pageSize);
    let chunk = '';
    for (const event of page) {
      cursor = event.position;
      scanned += 1;
      if (!isCoveredEvent(event)) continue;
      while (boundary && comparePositions(event.position, boundary) > 0) {
        chunk += line({ kind: 'checkpoint', ...checkpoints[next] });
        lastPosition = checkpoints[next].position;
        next += 1;
        boundary = checkpoints[next] ? parsePosition(checkpoints[next].position) : undefined;
      }
      const position = positionToString(event.position);
      if (included(event)) {
        const out: ExportedEventLine = {
          kind: 'event',
          position,
          streamId: event.streamId,
          revision: event.revision,
          eventId: event.eventId,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          hash: event.hash,
          previousHash: event.previousHash,
        };
        chunk += line(out);
        exported += 1;
        lastPosition = position;
        options.onStreamExported?.(event.streamId);
      } else if (coveredUntil && comparePositions(event.position, coveredUntil) <= 0) {
        chunk += line({ kind: 'elided', position, hash: event.hash });
        elided += 1;
        lastPosition = position;
      }
    }
    if (chunk) yield chunk;
    options.onProgress?.(scanned);
    if (page.length < pageSize) {
      // The events up to the newest checkpoint are all committed; a short read
      // below it is the read horizon held back elsewhere on the server: wait,
      // so every checkpoint in the file comes with its whole range.
      if (
        coveredUntil &&
        (!cursor || comparePositions(cursor, coveredUntil) < 0) &&
        (await horizonBehind(options.tail, cursor))
      ) {
        if (Date.now() < horizonDeadline) {
          await sleep(50);
          continue;
        }
        throw new Error(
          `the store could not be read up to checkpoint ${lastCheckpoint.sequence} within ${HORIZON_WAIT_MS / 1000} s (a long-running transaction holds the read horizon)`,
        );
      }
      break;
    }
  }
  let tail = '';
  while (next < checkpoints.length) {
    tail += line({ kind: 'checkpoint', ...checkpoints[next] });
    lastPosition = checkpoints[next].position;
    next += 1;
  }
  tail += line({
    kind: 'end',
    events: exported,
    elided,
    checkpoints: checkpoints.length - (anchorIndex + 1),
    ...(lastPosition ? { lastPosition } : {}),
  });
  yield tail;
}
