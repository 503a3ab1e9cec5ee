import { loadConfig } from '@caseledger/platform';
import { SignJWT, type JWTPayload } from 'jose';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const now = (): number => Math.floor(Date.now() / 1000);

function sign(
  claims: JWTPayload & { exp?: number; iat?: number },
  secret = SECRET,
): Promise<string> {
  return new SignJWT({ role: 'case_manager', careerCenterId: 'cc-1', sub: 'staff-1', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

const verifier = (env: Record<string, string> = {}): JwtVerifier =>
  new JwtVerifier(loadConfig({ AUTH_JWT_SECRET: SECRET, ...env }));

async function rejection(v: JwtVerifier, token: string): Promise<string> {
  try {
    await v.verify(token);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as Error).message;
  }
  throw new Error('the token was accepted');
}

describe('tokens: exp required, bounded lifetime, no future iat, iss/aud when configured', () => {
  it('a token with a sane lifetime passes (npm run token mints 8 h with iat)', async () => {
    await expect(
      verifier().verify(await sign({ iat: now(), exp: now() + 8 * 3600 })),
    ).resolves.toMatchObject({ staffId: 'staff-1' });
  });

  it('a token without exp is refused', async () => {
    expect(await rejection(verifier(), await sign({ iat: now() }))).toMatch(/exp/);
  });

  it('a lifetime above AUTH_TOKEN_MAX_LIFETIME_SECONDS (default 12 h) is refused, with or without iat', async () => {
    expect(await rejection(verifier(), await sign({ iat: now(), exp: now() + 13 * 3600 }))).toMatch(
      /longer than the 43200 s/,
    );
    expect(await rejection(verifier(), await sign({ exp: now() + 24 * 3600 }))).toMatch(
      /longer than/,
    );
    // Configurable: 1 h.
    expect(
      await rejection(
        verifier({ AUTH_TOKEN_MAX_LIFETIME_SECONDS: '3600' }),
        await sign({ iat: now(), exp: now() + 2 * 3600 }),
      ),
    ).toMatch(/longer than the 3600 s/);
  });

  it('an iat in the future beyond the clock skew is refused; within it, accepted', async () => {
    expect(
      await rejection(verifier(), await sign({ iat: now() + 600, exp: now() + 3600 })),
    ).toMatch(/future/);
    await expect(
      verifier().verify(await sign({ iat: now() + 30, exp: now() + 3600 })),
    ).resolves.toMatchObject({ staffId: 'staff-1' });
    expect(
      await rejection(
        verifier({ AUTH_CLOCK_SKEW_SECONDS: '0' }),
        await sign({ iat: now() + 30, exp: now() + 3600 }),
      ),
    ).toMatch(/future/);
  });

  it('with AUTH_ISSUER and AUTH_AUDIENCE configured, tokens must carry both, matching', async () => {
    const v = verifier({ AUTH_ISSUER: 'https://issuer.test/', AUTH_AUDIENCE: 'caseledger' });
    const base = { iat: now(), exp: now() + 3600 };
    await expect(
      v.verify(await sign({ ...base, iss: 'https://issuer.test/', aud: 'caseledger' })),
    ).resolves.toMatchObject({ staffId: 'staff-1' });
    expect(await rejection(v, await sign({ ...base, aud: 'caseledger' }))).toMatch(/iss/);
    expect(await rejection(v, await sign({ ...base, iss: 'https://issuer.test/' }))).toMatch(/aud/);
    expect(
      await rejection(v, await sign({ ...base, iss: 'https://other.test/', aud: 'caseledger' })),
    ).toMatch(/iss/);
  });
});
