import { createHash } from 'node:crypto';

/** The namespace of Caseledger's name-based ids (a fixed random UUID). */
const NAMESPACE = Buffer.from('6f1c2f0e4b7a4c58a2d93e1b7c5d9f40', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5: SHA-1 over namespace + name). The
 * executor derives each event id from the command id and the event's index, so
 * a retried append of the same command carries the same event ids and the
 * store's idempotent append applies instead of doubling history.
 */
export function nameBasedUuid(...parts: Array<string | number>): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(parts.map(String).join('\u0000'))
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const eventIdFor = (commandId: string, index: number): string =>
  nameBasedUuid('event', commandId, index);
