import type { KeyObject } from 'node:crypto';
import {
  comparePositions,
  parsePosition,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../event-store.port';
import { computeEventHash, verifyChain } from '../hash-chain';
import type { SqlExecutor } from '../sql/sql-client';
import {
  EventsDigest,
  checkCheckpointChain,
  isCoveredEvent,
  type SignedCheckpoint,
} from './checkpoint';
import type { CheckpointStore } from './checkpoint-store.port';

/** How long a walk waits for the read horizon to pass the newest checkpoint. */
export const HORIZON_WAIT_MS = 30_000;

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export interface VerifyFailure {
  kind: 'event' | 'stream' | 'checkpoint';
  streamId?: string;
  revision?: number;
  sequence?: number;
  message: string;
}

export interface StoreVerifyReport {
  ok: boolean;
  /** Events walked (every stream, or the one stream of `--case`). */
  events: number;
  streams: number;
  checkpoints: number;
  /** The newest checkpoint, which an auditor keeps to detect a removal later (`expect`). */
  latestCheckpoint?: { sequence: number; hash: string; position: string };
  /** Events after the newest checkpoint (not yet covered by a signature). */
  uncoveredEvents: number;
  failures: VerifyFailure[];
}

/** Stream heads as the store records them (PostgreSQL's es_streams); none on EventStoreDB. */
export type StreamHeads = () => Promise<Map<string, { revision: number; lastHash: string }>>;

/**
 * The newest committed event's position, ignoring the read horizon (PostgreSQL):
 * tells a read held back by a transaction in flight elsewhere on the server
 * (wait) from a store that simply has nothing more (stop).
 */
export type StoreTail = () => Promise<Position | undefined>;

export function sqlStoreTail(sql: SqlExecutor): StoreTail {
  return async () => {
    // The table's columns, not the text aliases: as text, '999' sorts after '1000'.
    const result = await sql.query<{ txid: string; seq: string }>(
      'SELECT txid::text AS txid, seq::text AS seq FROM es_events ORDER BY es_events.txid DESC, es_events.seq DESC LIMIT 1',
    );
    const row = result.rows[0];
    return row ? { commit: BigInt(row.txid), prepare: BigInt(row.seq) } : undefined;
  };
}

/** Whether committed events beyond `cursor` exist that the read horizon still hides. */
export async function horizonBehind(
  tail: StoreTail | undefined,
  cursor: Position | undefined,
): Promise<boolean> {
  if (!tail) return false;
  const last = await tail();
  return last !== undefined && (!cursor || comparePositions(last, cursor) > 0);
}

export function sqlStreamHeads(sql: SqlExecutor): StreamHeads {
  return async () => {
    const result = await sql.query<{ stream_id: string; revision: number; last_hash: string }>(
      'SELECT stream_id, revision, last_hash FROM es_streams',
    );
    return new Map(
      result.rows.map((row) => [
        row.stream_id,
        { revision: row.revision, lastHash: row.last_hash },
      ]),
    );
  };
}

export interface StoreVerifyOptions {
  /** Undefined: no key configured, so any checkpoint fails its signature check. */
  publicKey: KeyObject | undefined;
  heads?: StreamHeads;
  /** PostgreSQL: see StoreTail. */
  tail?: StoreTail;
  /** Only this stream's chain and head, plus the checkpoints' own chain and signatures. */
  streamId?: string;
  /** CHECKPOINT_INTERVAL_EVENTS: this many uncovered events means a checkpoint is missing. */
  intervalEvents?: number;
  /** A checkpoint the auditor saw before (its sequence and hash): it must still be there, unchanged. */
  expect?: { sequence: number; hash: string };
  pageSize?: number;
  onProgress?: (events: number) => void;
}

/**
 * Store-wide verification (DESIGN.md "Evidence an outsider can check"): walks
 * every event in global order, recomputing each stream's hash chain, and every
 * checkpoint, recomputing the hash over the events it covers, its count, its
 * signature and its link to the previous one; then compares each stream's
 * recorded head with what was walked. Together these detect an event edited
 * in place, a stream's newest events or a whole stream deleted, a stream
 * rewritten with recomputed hashes, and a checkpoint edited or removed.
 */
export async function verifyStore(
  store: EventStore,
  checkpointStore: CheckpointStore,
  options: StoreVerifyOptions,
): Promise<StoreVerifyReport> {
  const failures: VerifyFailure[] = [];
  // Heads first: anything appended after this read only adds events to walk.
  const heads = options.heads ? await options.heads() : undefined;
  const checkpoints = await checkpointStore.list();
  for (const message of checkCheckpointChain(checkpoints, options.publicKey)) {
    failures.push({ kind: 'checkpoint', message });
  }
  const latest = checkpoints[checkpoints.length - 1];
  if (options.expect) {
    const seen = checkpoints.find((c) => c.sequence === options.expect!.sequence);
    if (!seen) {
      failures.push({
        kind: 'checkpoint',
        sequence: options.expect.sequence,
        message: `checkpoint ${options.expect.sequence}, seen before, is missing`,
      });
    } else if (seen.hash !== options.expect.hash) {
      failures.push({
        kind: 'checkpoint',
        sequence: seen.sequence,
        message: `checkpoint ${seen.sequence} differs from the one seen before`,
      });
    }
  }
  const base = {
    checkpoints: checkpoints.length,
    ...(latest
      ? {
          latestCheckpoint: {
            sequence: latest.sequence,
            hash: latest.hash,
            position: latest.position,
          },
        }
      : {}),
  };

  if (options.streamId) {
    const events = await store.readStream(options.streamId);
    const chain = verifyChain(events);
    if (!chain.valid) {
      failures.push({
        kind: 'event',
        streamId: options.streamId,
        revision: chain.firstInvalidRevision,
        message: `${options.streamId} revision ${chain.firstInvalidRevision}: hash chain broken (edited in place or rewritten)`,
      });
    }
    if (events.length === 0 && !heads?.has(options.streamId)) {
      failures.push({
        kind: 'stream',
        streamId: options.streamId,
        message: `${options.streamId} has no events`,
      });
    }
    checkHead(options.streamId, events, heads, failures);
    options.onProgress?.(events.length);
    return {
      ok: failures.length === 0,
      events: events.length,
      streams: 1,
      uncoveredEvents: 0,
      failures,
      ...base,
    };
  }

  const walked = new Map<string, { revision: number; hash: string; broken: boolean }>();
  const digest = new EventsDigest();
  let index = 0; // the checkpoint being filled
  let boundary: Position | undefined = checkpoints[0]
    ? parsePosition(checkpoints[0].position)
    : undefined;
  let events = 0;

  const closeCheckpoint = (checkpoint: SignedCheckpoint): void => {
    if (digest.count !== checkpoint.eventCount) {
      failures.push({
        kind: 'checkpoint',
        sequence: checkpoint.sequence,
        message: `checkpoint ${checkpoint.sequence} covers ${checkpoint.eventCount} events, the store holds ${digest.count} in its range (events deleted or added)`,
      });
    } else if (digest.peek() !== checkpoint.eventsHash) {
      failures.push({
        kind: 'checkpoint',
        sequence: checkpoint.sequence,
        message: `checkpoint ${checkpoint.sequence}: the events in its range do not hash to its eventsHash (events rewritten)`,
      });
    }
    digest.reset();
  };

  const pageSize = options.pageSize ?? 2000;
  let cursor: Position | undefined;
  const lastBoundary = latest ? parsePosition(latest.position) : { commit: 0n, prepare: 0n };
  const horizonDeadline = Date.now() + HORIZON_WAIT_MS;
  for (;;) {
    const page = await store.readAll(cursor, pageSize);
    for (const event of page) {
      cursor = event.position;
      if (!isCoveredEvent(event)) continue;
      while (boundary && comparePositions(event.position, boundary) > 0) {
        closeCheckpoint(checkpoints[index]);
        index += 1;
        boundary = checkpoints[index] ? parsePosition(checkpoints[index].position) : undefined;
      }
      events += 1;
      digest.add(event.hash);
      walkEvent(event, walked, failures);
    }
    options.onProgress?.(events);
    if (page.length < pageSize) {
      // Every event up to a checkpoint was committed when it was signed; a read
      // stopping short of it is the read horizon held back by a transaction in
      // flight elsewhere on the server (DESIGN.md "Known ground"): wait for it.
      if (
        boundary &&
        (!cursor || comparePositions(cursor, lastBoundary) < 0) &&
        (await horizonBehind(options.tail, cursor))
      ) {
        if (Date.now() < horizonDeadline) {
          await sleep(50);
          continue;
        }
        failures.push({
          kind: 'checkpoint',
          message: `the store could not be read up to checkpoint ${checkpoints[checkpoints.length - 1].sequence} within ${HORIZON_WAIT_MS / 1000} s: a long-running transaction holds the read horizon; run verify again`,
        });
      }
      break;
    }
  }
  while (index < checkpoints.length) {
    closeCheckpoint(checkpoints[index]);
    index += 1;
  }
  // What is left in the digest came after the newest checkpoint.
  const uncovered = boundary === undefined ? digest.count : 0;
  if (options.intervalEvents !== undefined && uncovered >= options.intervalEvents) {
    failures.push({
      kind: 'checkpoint',
      message: `${uncovered} events after the newest checkpoint exceed the checkpoint interval (${options.intervalEvents}): a checkpoint was removed, or the checkpointer is not running`,
    });
  }

  if (heads) {
    for (const [streamId, head] of heads) {
      const seen = walked.get(streamId);
      if (seen && seen.revision === head.revision && seen.hash === head.lastHash) continue;
      // Committed events of a transaction still below the read horizon: read the stream itself.
      const events = await store.readStream(streamId);
      checkHead(streamId, events, heads, failures);
    }
  }

  return {
    ok: failures.length === 0,
    events,
    streams: walked.size,
    uncoveredEvents: uncovered,
    failures,
    ...base,
  };
}

function walkEvent(
  event: RecordedEvent,
  walked: Map<string, { revision: number; hash: string; broken: boolean }>,
  failures: VerifyFailure[],
): void {
  const seen = walked.get(event.streamId) ?? { revision: -1, hash: '', broken: false };
  const recomputed = computeEventHash(seen.hash, event);
  if (!seen.broken) {
    let problem: string | undefined;
    if (event.revision !== seen.revision + 1)
      problem = `revision ${seen.revision + 1} is missing (found ${event.revision})`;
    else if (event.previousHash !== seen.hash)
      problem = `revision ${event.revision} does not chain to its predecessor`;
    else if (event.hash !== recomputed)
      problem = `revision ${event.revision}: its content does not match its hash (edited in place)`;
    if (problem) {
      failures.push({
        kind: 'event',
        streamId: event.streamId,
        revision: event.revision,
        message: `${event.streamId} ${problem}`,
      });
      seen.broken = true; // one failure per stream: what follows is suspect anyway
    }
  }
  walked.set(event.streamId, { revision: event.revision, hash: event.hash, broken: seen.broken });
}

function checkHead(
  streamId: string,
  events: RecordedEvent[],
  heads: Map<string, { revision: number; lastHash: string }> | undefined,
  failures: VerifyFailure[],
): void {
  const head = heads?.get(streamId);
  if (!head) return;
  const last = events[events.length - 1];
  if (!last) {
    failures.push({
      kind: 'stream',
      streamId,
      message: `${streamId}: the store records ${head.revision + 1} events, none are left (stream deleted)`,
    });
  } else if (last.revision < head.revision) {
    failures.push({
      kind: 'stream',
      streamId,
      revision: last.revision + 1,
      message: `${streamId}: the store records ${head.revision + 1} events, revisions ${last.revision + 1}–${head.revision} are missing (newest events deleted)`,
    });
  } else if (last.revision === head.revision && last.hash !== head.lastHash) {
    failures.push({
      kind: 'stream',
      streamId,
      revision: last.revision,
      message: `${streamId}: its newest hash differs from the one the store recorded (stream rewritten)`,
    });
  }
}
