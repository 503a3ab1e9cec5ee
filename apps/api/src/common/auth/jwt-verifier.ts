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
import { createHmac, timingSafeEqual } from 'node:crypto';

export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

/** Verified tokens kept (most recently verified last); a full one drops the oldest. */
const VERIFIED_CACHE_SIZE = 10_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError(`the token was rejected: its ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidTokenError(`the token was rejected: its ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * DESIGN.md "HTTP contract": HS256 with AUTH_JWT_SECRET locally, an OIDC issuer's
 * key set (AUTH_JWKS_URL) in production. Claims: sub (staff id), role,
 * careerCenterId, optional clearances (R13: other centers the staff may change).
 *
 * HS256 is checked with node:crypto's HMAC (a few µs; WebCrypto through jose
 * cost ~50 µs a token), key-set tokens through jose. An HS256 token that passed
 * every check is remembered until its expiry (plus the clock skew, as a fresh
 * check allows): the token's own bytes are the key, so a token with any other
 * byte — a tampered signature, another header — is verified in full; every
 * other check (lifetime, iat, iss/aud, claims) depends on the token alone, not
 * on the time, and was passed when it was first seen.
 */
@Injectable()
export class JwtVerifier {
  private readonly secret?: Buffer;
  private readonly keySet?: JWTVerifyGetKey;
  private readonly options: JWTVerifyOptions;
  private readonly issuer?: string;
  private readonly audience?: string;
  private readonly maxLifetimeSeconds: number;
  private readonly skewSeconds: number;
  /** HS256 tokens that passed, with the time (ms) after which they no longer would. */
  private readonly verified = new Map<string, { actor: Actor; validUntilMs: number }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { jwksUrl, jwtSecret, issuer, audience } = config.auth;
    this.maxLifetimeSeconds = config.auth.maxTokenLifetimeSeconds ?? 43_200;
    this.skewSeconds = config.auth.clockSkewSeconds ?? 60;
    if (issuer) this.issuer = issuer;
    if (audience) this.audience = audience;
    if (jwksUrl) {
      this.keySet = createRemoteJWKSet(new URL(jwksUrl));
      this.options = { algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'] };
    } else {
      // No secret: nothing can verify; every token is refused.
      if (jwtSecret) this.secret = Buffer.from(jwtSecret, 'utf8');
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
    if (this.keySet) {
      let payload: JWTPayload;
      try {
        payload = (await jwtVerify(token, this.keySet, this.options)).payload;
      } catch (error) {
        throw new InvalidTokenError(`the token was rejected: ${(error as Error).message}`);
      }
      this.checkTimes(payload, Math.floor(Date.now() / 1000));
      return actorFromClaims(payload);
    }
    return this.verifyHs256(token);
  }

  /** Synchronous HS256 (RFC 7515 compact form, RFC 7519 claims) with the verified-token cache. */
  verifyHs256(token: string): Actor {
    const nowMs = Date.now();
    const hit = this.verified.get(token);
    if (hit) {
      if (nowMs < hit.validUntilMs) return hit.actor;
      this.verified.delete(token);
    }
    const payload = this.checkHs256(token, Math.floor(nowMs / 1000));
    // Shared by every request presenting this token: frozen, so none can change another's.
    const actor = Object.freeze(actorFromClaims(payload));
    // exp is checked as `exp > now − skew`, so the token passes until (exp + skew) s.
    const validUntilMs = ((payload.exp as number) + this.skewSeconds) * 1000;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) {
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(token, { actor, validUntilMs });
    return actor;
  }

  private checkHs256(token: string, nowSeconds: number): JWTPayload {
    if (!this.secret) throw new InvalidTokenError('the token was rejected: no AUTH_JWT_SECRET');
    const parts = token.split('.');
    if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part)))
      throw new InvalidTokenError('the token was rejected: not a compact JWS');
    const [encodedHeader, encodedPayload, encodedSignature] = parts;
    const header = decodeJson(encodedHeader, 'header');
    // Only HS256: "none", RS256 signed with the secret as a public key, etc. are refused.
    if (header.alg !== 'HS256')
      throw new InvalidTokenError('the token was rejected: the "alg" (Algorithm) must be HS256');
    if (header.crit !== undefined || header.b64 !== undefined)
      throw new InvalidTokenError('the token was rejected: unsupported "crit"/"b64" header');
    const expected = createHmac('sha256', this.secret)
      .update(`${encodedHeader}.${encodedPayload}`)
      .digest();
    const given = Buffer.from(encodedSignature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new InvalidTokenError('the token was rejected: signature verification failed');
    const payload = decodeJson(encodedPayload, 'payload') as JWTPayload;
    const { exp, nbf, iss, aud } = payload;
    if (exp === undefined) throw new InvalidTokenError('the token has no exp');
    if (typeof exp !== 'number')
      throw new InvalidTokenError('the token was rejected: "exp" claim must be a number');
    if (exp <= nowSeconds - this.skewSeconds)
      throw new InvalidTokenError('the token was rejected: "exp" claim timestamp check failed');
    if (nbf !== undefined) {
      if (typeof nbf !== 'number')
        throw new InvalidTokenError('the token was rejected: "nbf" claim must be a number');
      if (nbf > nowSeconds + this.skewSeconds)
        throw new InvalidTokenError('the token was rejected: "nbf" claim timestamp check failed');
    }
    if (this.issuer !== undefined && iss !== this.issuer)
      throw new InvalidTokenError('the token was rejected: unexpected "iss" claim value');
    if (this.audience !== undefined) {
      const audiences = Array.isArray(aud) ? aud : [aud];
      if (!audiences.includes(this.audience))
        throw new InvalidTokenError('the token was rejected: unexpected "aud" claim value');
    }
    this.checkTimes(payload, nowSeconds);
    return payload;
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
