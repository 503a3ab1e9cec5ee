import { createHash } from 'node:crypto';
import type { RecordedEvent, VerifyResult } from './event-store.port';

/**
 * The per-stream hash chain (DESIGN.md "Events": tamper evidence). Both adapters
 * compute it the same way, so a stream exported from one store verifies in the
 * other:
 *
 *   hash(n) = SHA-256 hex of ( hash(n-1) ++ canonicalJson({ type, data, metadata }) )
 *
 * with hash(-1) = '' and `metadata` the full stored metadata (including eventId
 * and recordedAt), hashed as UTF-8. Canonical JSON sorts object keys, so the
 * hash does not depend on how a database reorders jsonb keys.
 *
 * For JSON values — everything the store holds, since data and metadata go
 * through jsonb or the EventStoreDB JSON encoding — this is exactly RFC 8785
 * (JCS): keys sorted by UTF-16 code units (Array.prototype.sort's order), and
 * strings and numbers in ECMAScript's JSON.stringify form, which JCS adopts. So
 * an outsider re-implements it from the RFC (README "For auditors", checked
 * against RFC vectors in checkpoints/jcs.spec.ts), and streams hashed before
 * it was documented this way verify unchanged.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Numbers and strings as JSON prints them; undefined at the top level hashes as null.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  if (typeof (record as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((record as { toJSON(): unknown }).toJSON());
  }
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    // JSON.stringify (and so jsonb) drops undefined members; the hash must too.
    if (item === undefined || typeof item === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

export interface HashedContent {
  type: string;
  data: unknown;
  metadata: unknown;
}

export function computeEventHash(previousHash: string, content: HashedContent): string {
  return createHash('sha256')
    .update(previousHash)
    .update(canonicalJson({ type: content.type, data: content.data, metadata: content.metadata }))
    .digest('hex');
}

/**
 * Recomputes a stream's chain from its stored events (in revision order). The
 * first revision whose stored hash, stored predecessor hash or revision number
 * does not match is reported; everything after it is suspect too.
 */
export function verifyChain(
  events: ReadonlyArray<
    Pick<RecordedEvent, 'revision' | 'type' | 'data' | 'metadata' | 'hash' | 'previousHash'>
  >,
): VerifyResult {
  let previous = '';
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index];
    const recomputed = computeEventHash(previous, event);
    if (event.revision !== index || event.previousHash !== previous || event.hash !== recomputed) {
      return { valid: false, eventCount: events.length, firstInvalidRevision: index };
    }
    previous = recomputed;
  }
  return { valid: true, eventCount: events.length };
}
