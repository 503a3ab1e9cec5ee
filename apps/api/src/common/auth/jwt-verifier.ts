import { Inject, Injectable } from '@nestjs/common';
import { ROLES, type Actor, type Role } from '@caseledger/domain';
import { APP_CONFIG, type AppConfig } from '@caseledger/platform';
import {
  createRemoteJWKSet,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/**
 * DESIGN.md "HTTP contract": HS256 with AUTH_JWT_SECRET locally, an OIDC issuer's
 * key set (AUTH_JWKS_URL) in production. Claims: sub (staff id), role,
 * careerCenterId, optional clearances (R13: other centers the staff may change).
 */
@Injectable()
export class JwtVerifier {
  /**
   * The HS256 secret as a CryptoKey, imported once: given raw bytes, jose
   * imports them again on every verify. Each token is still verified in full.
   */
  private readonly secretKey?: Promise<CryptoKey>;
  private readonly keySet?: JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { jwksUrl, jwtSecret, issuer, audience } = config.auth;
    if (jwksUrl) {
      this.keySet = createRemoteJWKSet(new URL(jwksUrl));
      this.options = { algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] };
    } else {
      const secret = jwtSecret ?? '';
      this.secretKey =
        secret === ''
          ? // No secret: nothing can verify; jose reports it per request as before.
            Promise.reject(new Error('no AUTH_JWT_SECRET'))
          : webcrypto.subtle.importKey(
              'raw',
              new TextEncoder().encode(secret),
              { name: 'HMAC', hash: 'SHA-256' },
              false,
              ['verify'],
            );
      this.secretKey.catch(() => undefined);
      this.options = { algorithms: ['HS256'] };
    }
    if (issuer) this.options.issuer = issuer;
    if (audience) this.options.audience = audience;
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      payload = this.keySet
        ? (await jwtVerify(token, this.keySet, this.options)).payload
        : (await jwtVerify(token, await this.secretKey!, this.options)).payload;
    } catch (error) {
      throw new InvalidTokenError(`the token was rejected: ${(error as Error).message}`);
    }
    return actorFromClaims(payload);
  }
}

export function actorFromClaims(payload: JWTPayload): Actor {
  const { sub, role, careerCenterId, clearances } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || sub.trim() === '')
    throw new InvalidTokenError('the token has no sub');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role))
    throw new InvalidTokenError(`the token's role must be one of ${ROLES.join(', ')}`);
  if (typeof careerCenterId !== 'string' || careerCenterId.trim() === '')
    throw new InvalidTokenError('the token has no careerCenterId');
  if (
    clearances !== undefined &&
    (!Array.isArray(clearances) || clearances.some((c) => typeof c !== 'string'))
  )
    throw new InvalidTokenError('clearances must be a list of career center ids');
  return {
    staffId: sub,
    role: role as Role,
    careerCenterId,
    ...(clearances ? { clearances: clearances as string[] } : {}),
  };
}
