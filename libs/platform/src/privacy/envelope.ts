import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Field encryption of personal data (README "Personal data"): AES-256-GCM
 * from node:crypto, a fresh 96-bit IV per field, the 128-bit tag appended to
 * the ciphertext, and additional authenticated data binding the ciphertext to
 * its stream, its field and its key — a value copied into another event or
 * field does not decrypt. The stored form is this self-describing object, so
 * a holder of the key needs nothing else (key id, algorithm, IV, AAD rule).
 */
export interface PersonalDataEnvelope {
  /** Format version of the envelope. */
  pd: 1;
  /** JOSE's name for AES-256-GCM. */
  alg: 'A256GCM';
  /** The customer's data key (`personal_data_keys.key_id`). */
  kid: string;
  /** base64url IV (12 bytes). */
  iv: string;
  /** base64url ciphertext ‖ tag (16 bytes). */
  ct: string;
}

export const ENVELOPE_ALGORITHM = 'A256GCM';

/** AAD = UTF-8 of `caseledger-pd/1|<streamId>|<field path>|<key id>`. */
export const envelopeAad = (streamId: string, path: string, kid: string): Buffer =>
  Buffer.from(`caseledger-pd/1|${streamId}|${path}|${kid}`, 'utf8');

export function isEnvelope(value: unknown): value is PersonalDataEnvelope {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    v.pd === 1 &&
    v.alg === ENVELOPE_ALGORITHM &&
    typeof v.kid === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.ct === 'string'
  );
}

export function seal(
  key: Buffer,
  plaintext: string,
  aad: Buffer,
  kid: string,
): PersonalDataEnvelope {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    pd: 1,
    alg: ENVELOPE_ALGORITHM,
    kid,
    iv: iv.toString('base64url'),
    ct: body.toString('base64url'),
  };
}

/** Throws when the key, the AAD or the ciphertext do not match (GCM authentication). */
export function open(key: Buffer, envelope: PersonalDataEnvelope, aad: Buffer): string {
  const body = Buffer.from(envelope.ct, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64url'));
  decipher.setAAD(aad);
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([
    decipher.update(body.subarray(0, body.length - 16)),
    decipher.final(),
  ]).toString('utf8');
}

/** A key wrapped under a master key: IV (12) ‖ ciphertext (32) ‖ tag (16); AAD names what it is. */
export function wrapKey(master: Buffer, key: Buffer, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(master: Buffer, wrapped: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', master, wrapped.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - 16));
  return Buffer.concat([
    decipher.update(wrapped.subarray(12, wrapped.length - 16)),
    decipher.final(),
  ]);
}

/** A master key's public name: the first 16 hex digits of its SHA-256 (reveals nothing of it). */
export const masterKeyId = (master: Buffer): string =>
  createHash('sha256').update(master).digest('hex').slice(0, 16);

/** A 32-byte key given as base64 or base64url (44 or 43 characters). */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed))
    throw new RangeError('must be 32 bytes in base64 (44 characters)');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new RangeError('must be 32 bytes in base64 (44 characters)');
  return key;
}
