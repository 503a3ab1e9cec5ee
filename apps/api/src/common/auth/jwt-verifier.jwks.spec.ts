import { loadConfig } from '@caseledger/platform';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

/**
 * JWKS mode (production): an OIDC issuer's key set, here served on a loopback
 * port (the only place plain http is allowed). Issuer and audience are
 * required by the configuration and checked on every token.
 */
describe('tokens from an OIDC key set (AUTH_JWKS_URL)', () => {
  let server: Server;
  let url: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  const ISSUER = 'https://issuer.test/';
  const AUDIENCE = 'caseledger';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const now = (): number => Math.floor(Date.now() / 1000);
  const sign = (claims: JWTPayload): Promise<string> =>
    new SignJWT({ role: 'auditor', careerCenterId: 'state', sub: 'auditor-1', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .sign(privateKey);
  const verifier = (): JwtVerifier =>
    new JwtVerifier(
      loadConfig({ AUTH_JWKS_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE }),
    );
  const good = { iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 3600 };

  it('a token naming the issuer and audience, with a bounded lifetime, passes', async () => {
    await expect(verifier().verify(await sign(good))).resolves.toMatchObject({
      staffId: 'auditor-1',
      role: 'auditor',
    });
  });

  it.each([
    ['without aud', { ...good, aud: undefined }],
    ['without iss', { ...good, iss: undefined }],
    ['for another audience', { ...good, aud: 'another-service' }],
    ['without exp', { ...good, exp: undefined }],
    ['living 24 h', { ...good, exp: now() + 24 * 3600 }],
    ['issued an hour from now', { ...good, iat: now() + 3600, exp: now() + 7200 }],
  ])('a token %s is refused', async (_, claims) => {
    await expect(verifier().verify(await sign(claims))).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
