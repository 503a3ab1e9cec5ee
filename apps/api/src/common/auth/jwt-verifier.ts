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
  private readonly maxLifetimeSeconds: number;
  private readonly skewSeconds: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { jwksUrl, jwtSecret, issuer, audience } = config.auth;
    this.maxLifetimeSeconds = config.auth.maxTokenLifetimeSeconds ?? 43_200;
    this.skewSeconds = config.auth.clockSkewSeconds ?? 60;
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
    // A token without an expiry would be valid forever (and one stolen from a log, too).
    this.options.requiredClaims = ['exp', ...(issuer ? ['iss'] : []), ...(audience ? ['aud'] : [])];
    this.options.clockTolerance = this.skewSeconds;
  }

  /** Lifetime and issue time: a token minted for days, or "issued" in the future, is refused. */
  private checkTimes(payload: JWTPayload, nowSeconds: number): void {
    const { exp, iat } = payload;
    if (typeof exp !== 'number') throw new InvalidTokenError('the token has no exp');
    if (iat !== undefined) {
      if (typeof iat !== 'number') throw new InvalidTokenError('the token has a malformed iat');
      if (iat > nowSeconds + this.skewSeconds)
        throw new InvalidTokenError('the token was issued in the future (iat)');
    }
    const lifetime = exp - (iat ?? nowSeconds);
    if (lifetime > this.maxLifetimeSeconds)
      throw new InvalidTokenError(
        `the token lives longer than the ${this.maxLifetimeSeconds} s allowed (exp − iat)`,
      );
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
    this.checkTimes(payload, Math.floor(Date.now() / 1000));
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
