import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { CheckpointSigner, keyIdOf } from '@caseledger/event-store';
import type { AppConfig } from '../config/app-config';

export interface CheckpointKeys {
  /** Present where the private key is configured: this process may sign. */
  signer?: CheckpointSigner;
  publicKey?: KeyObject;
  publicKeyPem?: string;
  keyId?: string;
}

/**
 * The checkpoint key from the configuration: CHECKPOINT_SIGNING_KEY, else the
 * file `npm start` generates in DATA_DIR (like the development JWT secret),
 * else CHECKPOINT_PUBLIC_KEY alone (verify and publish, never sign).
 */
export function loadCheckpointKeys(config: AppConfig): CheckpointKeys {
  const { signingKey, publicKey, keyFile } = config.checkpoints;
  const privateText =
    signingKey ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined);
  if (privateText !== undefined) {
    const signer = CheckpointSigner.fromPrivateKey(privateText);
    return {
      signer,
      publicKey: signer.publicKey,
      publicKeyPem: signer.publicKeyPem(),
      keyId: signer.keyId,
    };
  }
  if (publicKey !== undefined) {
    const key = createPublicKey(publicKey);
    return {
      publicKey: key,
      publicKeyPem: key.export({ format: 'pem', type: 'spki' }).toString(),
      keyId: keyIdOf(key),
    };
  }
  return {};
}
