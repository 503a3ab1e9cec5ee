import { loadConfig } from '@caseledger/platform';
import { SignJWT, base64url, type JWTPayload } from 'jose';
import { createHmac } from 'node:crypto';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const sign = (claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT({ role: 'case_manager', careerCenterId: 'cc-1', sub: 'staff-1', ...claims })
    .setProtectedHeader({ alg: 'HS256', ...header })
    .sign(new TextEncoder().encode(SECRET));

/** A token assembled by hand: any header, signed (HMAC-SHA256 with the secret) or not. */
function forge(header: Record<string, unknown>, claims: JWTPayload, signature?: string): string {
  const h = base64url.encode(JSON.stringify(header));
  const p = base64url.encode(
    JSON.stringify({ role: 'case_manager', careerCenterId: 'cc-1', sub: 'staff-1', ...claims }),
  );
  const s = signature ?? createHmac('sha256', SECRET).update(`${h}.${p}`).digest('base64url');
  return `${h}.${p}.${s}`;
}

const verifier = (env: Record<string, string> = {}): JwtVerifier =>
  new JwtVerifier(loadConfig({ AUTH_JWT_SECRET: SECRET, ...env }));

async function refused(v: JwtVerifier, token: string): Promise<string> {
  try {
    await v.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('JwtVerifier HS256 through node:crypto, with its verified-token cache', () => {
  afterEach(() => jest.useRealTimers());

  it('a tampered signature, payload or header is refused, also after the genuine token was cached', async () => {
    const v = verifier();
    const good = await sign({ exp: nowSeconds() + 600 });
    await expect(v.verify(good)).resolves.toMatchObject({ staffId: 'staff-1' });
    const [h, p, s] = good.split('.');
    const flipped = `${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refused(v, `${h}.${p}.${flipped}`)).toMatch(/signature/);
    expect(await refused(v, `${h}.${p}.`)).toMatch(/compact JWS/);
    const admin = base64url.encode(
      JSON.stringify({
        ...JSON.parse(new TextDecoder().decode(base64url.decode(p))),
        role: 'admin',
      }),
    );
    expect(await refused(v, `${h}.${admin}.${s}`)).toMatch(/signature/);
    expect(await refused(v, `${h}.${p}`)).toMatch(/compact JWS/);
    expect(await refused(v, `${good}.x`)).toMatch(/compact JWS/);
    // The genuine one still passes.
    await expect(v.verify(good)).resolves.toMatchObject({ role: 'case_manager' });
  });

  it('alg confusion: none, RS256, HS384 and a missing alg are refused even with a valid HMAC', async () => {
    const v = verifier();
    const claims = { exp: nowSeconds() + 600 };
    expect(await refused(v, forge({ alg: 'none' }, claims, ''))).toMatch(/compact JWS|alg/);
    expect(await refused(v, forge({ alg: 'none' }, claims))).toMatch(/alg/);
    expect(await refused(v, forge({ alg: 'RS256' }, claims))).toMatch(/alg/);
    expect(await refused(v, forge({ alg: 'HS384' }, claims))).toMatch(/alg/);
    expect(await refused(v, forge({ typ: 'JWT' }, claims))).toMatch(/alg/);
    expect(await refused(v, forge({ alg: 'HS256', crit: ['exp'] }, claims))).toMatch(/crit/);
    // The same claims under the one accepted header pass.
    await expect(v.verify(forge({ alg: 'HS256', typ: 'JWT' }, claims))).resolves.toMatchObject({
      staffId: 'staff-1',
    });
  });

  it('a cached token stops passing at its expiry plus the clock skew, as a fresh check would', async () => {
    const start = new Date('2026-12-03T12:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate'] });
    const v = verifier({ AUTH_CLOCK_SKEW_SECONDS: '30' });
    const exp = Math.floor(start.getTime() / 1000) + 120;
    const token = await sign({ iat: exp - 120, exp });
    await expect(v.verify(token)).resolves.toMatchObject({ staffId: 'staff-1' });

    // Past exp but within the skew: both the cache and a fresh verifier accept.
    jest.setSystemTime((exp + 29) * 1000);
    await expect(v.verify(token)).resolves.toMatchObject({ staffId: 'staff-1' });
    await expect(verifier({ AUTH_CLOCK_SKEW_SECONDS: '30' }).verify(token)).resolves.toMatchObject({
      staffId: 'staff-1',
    });

    // Past exp + skew: both refuse.
    jest.setSystemTime((exp + 31) * 1000);
    expect(await refused(v, token)).toMatch(/exp/);
    expect(await refused(verifier({ AUTH_CLOCK_SKEW_SECONDS: '30' }), token)).toMatch(/exp/);
  });

  it('a token refused once (nbf ahead) is not cached as refused nor as accepted: it passes once valid', async () => {
    const start = new Date('2026-12-03T12:00:00Z');
    jest.useFakeTimers({ now: start, doNotFake: ['nextTick', 'setImmediate'] });
    const v = verifier({ AUTH_CLOCK_SKEW_SECONDS: '0' });
    const t = Math.floor(start.getTime() / 1000);
    const token = await sign({ nbf: t + 60, exp: t + 600 });
    expect(await refused(v, token)).toMatch(/nbf/);
    jest.setSystemTime((t + 61) * 1000);
    await expect(v.verify(token)).resolves.toMatchObject({ staffId: 'staff-1' });
  });

  it('the actor a cached token yields is frozen: one request cannot change the next one’s', async () => {
    const v = verifier();
    const token = await sign({ exp: nowSeconds() + 600, clearances: ['cc-2'] });
    const first = await v.verify(token);
    expect(Object.isFrozen(first)).toBe(true);
    expect(await v.verify(token)).toEqual({
      staffId: 'staff-1',
      role: 'case_manager',
      careerCenterId: 'cc-1',
      clearances: ['cc-2'],
    });
  });

  it('without AUTH_JWT_SECRET nothing verifies', async () => {
    const v = new JwtVerifier({ auth: {} } as never);
    expect(await refused(v, await sign({ exp: nowSeconds() + 600 }))).toMatch(/AUTH_JWT_SECRET/);
  });
});
