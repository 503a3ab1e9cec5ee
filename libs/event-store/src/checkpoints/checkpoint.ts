import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { canonicalJson } from '../hash-chain';
import type { RecordedEvent } from '../event-store.port';

/**
 * Signed store checkpoints (DESIGN.md "Evidence an outsider can check"). The
 * per-stream hash chain proves a stream was not edited in place; it cannot show
 * that a stream's newest events, or a whole stream, were deleted, nor that
 * someone with database access rewrote a chain and recomputed its hashes. A
 * checkpoint closes those gaps: at intervals it records the global position
 * reached, how many events lie between it and the previous checkpoint, a hash
 * over those events in global order, the previous checkpoint's hash, and an
 * Ed25519 signature made with a key the database does not hold.
 *
 * Everything here is re-implementable from the README ("For auditors"):
 *
 *   eventsHash  = SHA-256 hex over, for each covered event in global order,
 *                 the event's 64-character hex `hash` followed by "\n"
 *                 (SHA-256 of the empty string when no event is covered)
 *   body        = { sequence, position, previousPosition, eventCount,
 *                   totalEvents, eventsHash, previousHash, createdAt, keyId }
 *   hash        = SHA-256 hex of the UTF-8 bytes of JCS(body)   (RFC 8785)
 *   signature   = base64 Ed25519 signature of those same JCS(body) bytes
 *
 * Positions are `commit/prepare` text. The first checkpoint has sequence 1,
 * previousPosition "0/0" and previousHash "".
 */

/** The stream the EventStoreDB-backed checkpoint store writes to; never covered by a checkpoint. */
export const CHECKPOINT_STREAM = 'caseledger-store-checkpoints';

export interface CheckpointBody {
  sequence: number;
  position: string;
  previousPosition: string;
  /** Events covered by this checkpoint: after previousPosition, up to and including position. */
  eventCount: number;
  /** Events covered by this and every earlier checkpoint. */
  totalEvents: number;
  eventsHash: string;
  previousHash: string;
  /** ISO-8601 instant the checkpoint was signed. */
  createdAt: string;
  /** First 16 hex digits of SHA-256 over the public key's DER (SPKI): which key signed. */
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  hash: string;
  signature: string;
}

export const checkpointBody = (c: CheckpointBody): CheckpointBody => ({
  sequence: c.sequence,
  position: c.position,
  previousPosition: c.previousPosition,
  eventCount: c.eventCount,
  totalEvents: c.totalEvents,
  eventsHash: c.eventsHash,
  previousHash: c.previousHash,
  createdAt: c.createdAt,
  keyId: c.keyId,
});

export const checkpointHash = (body: CheckpointBody): string =>
  createHash('sha256')
    .update(canonicalJson(checkpointBody(body)), 'utf8')
    .digest('hex');

/** Whether an event is covered by checkpoints (everything but the checkpoint stream itself). */
export const isCoveredEvent = (event: Pick<RecordedEvent, 'streamId'>): boolean =>
  event.streamId !== CHECKPOINT_STREAM;

/** The running hash over events in global order (the `eventsHash` of a checkpoint). */
export class EventsDigest {
  private hash = createHash('sha256');
  count = 0;

  add(eventHash: string): void {
    this.hash.update(`${eventHash}\n`, 'utf8');
    this.count += 1;
  }

  /** The digest so far; the running state is kept (a copy is finalised). */
  peek(): string {
    return this.hash.copy().digest('hex');
  }

  reset(): void {
    this.hash = createHash('sha256');
    this.count = 0;
  }
}

/** The Ed25519 key pair that signs checkpoints; the public half is published. */
export class CheckpointSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** From a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or its base64 DER body. */
  static fromPrivateKey(text: string): CheckpointSigner {
    const trimmed = text.trim();
    const key = trimmed.startsWith('-----')
      ? createPrivateKey(trimmed)
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new RangeError(`checkpoint signing key must be Ed25519 (got ${key.asymmetricKeyType})`);
    }
    return new CheckpointSigner(key);
  }

  static generate(): CheckpointSigner {
    return new CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
  }

  /** The private key as PKCS#8 PEM (what `npm start` writes into DATA_DIR). */
  privateKeyPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  publicKeyPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  }

  sign(body: CheckpointBody): SignedCheckpoint {
    const plain = checkpointBody(body);
    const bytes = Buffer.from(canonicalJson(plain), 'utf8');
    return {
      ...plain,
      hash: createHash('sha256').update(bytes).digest('hex'),
      signature: sign(null, bytes, this.privateKey).toString('base64'),
    };
  }
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** Checks a checkpoint's hash and signature (not its place in the chain). */
export function checkSignature(
  checkpoint: SignedCheckpoint,
  publicKey: KeyObject | undefined,
): string[] {
  const problems: string[] = [];
  const bytes = Buffer.from(canonicalJson(checkpointBody(checkpoint)), 'utf8');
  if (createHash('sha256').update(bytes).digest('hex') !== checkpoint.hash) {
    problems.push(`checkpoint ${checkpoint.sequence}: its hash does not match its content`);
  }
  if (!publicKey) {
    problems.push(
      `checkpoint ${checkpoint.sequence}: no public key configured to check its signature`,
    );
    return problems;
  }
  let valid = false;
  try {
    valid = verify(null, bytes, publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) problems.push(`checkpoint ${checkpoint.sequence}: the signature does not verify`);
  return problems;
}

/**
 * Checks the checkpoints' own chain: signatures, sequence 1, 2, 3…, each naming
 * its predecessor's hash and position, totals adding up. Returns problems.
 */
export function checkCheckpointChain(
  checkpoints: readonly SignedCheckpoint[],
  publicKey: KeyObject | undefined,
): string[] {
  const problems: string[] = [];
  let previous: SignedCheckpoint | undefined;
  for (const checkpoint of checkpoints) {
    problems.push(...checkSignature(checkpoint, publicKey));
    const expectedSequence = (previous?.sequence ?? 0) + 1;
    if (checkpoint.sequence !== expectedSequence) {
      problems.push(
        `checkpoint ${expectedSequence} is missing (found ${checkpoint.sequence} after ${previous?.sequence ?? 'the start'})`,
      );
    }
    if (checkpoint.previousHash !== (previous?.hash ?? '')) {
      problems.push(
        `checkpoint ${checkpoint.sequence}: previousHash does not match checkpoint ${previous?.sequence ?? '(none)'}`,
      );
    }
    if (checkpoint.previousPosition !== (previous?.position ?? '0/0')) {
      problems.push(
        `checkpoint ${checkpoint.sequence}: previousPosition does not match checkpoint ${previous?.sequence ?? '(none)'}`,
      );
    }
    if (checkpoint.totalEvents !== (previous?.totalEvents ?? 0) + checkpoint.eventCount) {
      problems.push(`checkpoint ${checkpoint.sequence}: totalEvents does not add up`);
    }
    previous = checkpoint;
  }
  return problems;
}
