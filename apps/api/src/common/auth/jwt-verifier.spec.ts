import type { AppConfig } from '@caseledger/platform';
import { SignJWT } from 'jose';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const config = { auth: { jwtSecret: SECRET } } as AppConfig;

const sign = (secret: string, expiresIn = '1h'): Promise<string> =>
  new SignJWT({ role: 'case_manager', careerCenterId: 'cc-1' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('staff-1')
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));

describe('JwtVerifier (HS256, key imported once)', () => {
  it('verifies every token in full: a forged or expired token after a good one is still refused', async () => {
    const verifier = new JwtVerifier(config);
    const good = await sign(SECRET);
    await expect(verifier.verify(good)).resolves.toEqual({
      staffId: 'staff-1',
      role: 'case_manager',
      careerCenterId: 'cc-1',
    });
    await expect(verifier.verify(await sign(`${SECRET}-forged`))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(verifier.verify(await sign(SECRET, '-1m'))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(verifier.verify(good)).resolves.toMatchObject({ staffId: 'staff-1' });
  });
});
