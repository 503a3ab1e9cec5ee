import request from 'supertest';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';

type Server = Parameters<typeof request>[0];

/** CORS_ORIGINS: none by default; listed origins get their preflight answered. */
describe('CORS', () => {
  let withCors: ApiHarness | undefined;
  let without: ApiHarness | undefined;
  let server: Server;
  const app = 'https://backoffice.example.org';

  beforeAll(async () => {
    withCors = await startApi('postgres', {
      env: { CORS_ORIGINS: `${app},http://localhost:5173` },
    });
    server = withCors.server;
    without = await startApi('pglite');
  });
  afterAll(async () => {
    await withCors?.close();
    await without?.close();
  });

  const preflight = (target: Server, origin: string) =>
    request(target)
      .options('/api/v1/cases')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');

  it('a listed origin gets its preflight answered (204) with the methods and headers it needs', async () => {
    const res = await preflight(server, app);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(app);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']?.toLowerCase()).toMatch(
      /authorization.*content-type.*idempotency-key/,
    );
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers['access-control-max-age']).toBe('600');
  });

  it('an actual request from a listed origin may read ETag, Location and the correlation id', async () => {
    const token = await tokenFor({ role: 'case_manager', center: 'cc-1' });
    const res = await request(server)
      .get('/api/v1/caseloads/staff-cm-1')
      .set('Origin', app)
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(app);
    expect(res.headers['access-control-expose-headers']).toMatch(
      /ETag.*Location.*Idempotency-Replayed.*X-Correlation-Id/,
    );
    // A problem answer carries the header too, so the browser app can read the problem.
    const refused = await request(server).get('/api/v1/caseloads/staff-cm-1').set('Origin', app);
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(app);
  });

  it('an origin not listed gets no Access-Control-Allow-Origin (the browser refuses the answer)', async () => {
    const res = await preflight(server, 'https://evil.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('without CORS_ORIGINS a preflight is answered (204) but allows no origin, and no answer carries CORS headers', async () => {
    const res = await preflight(without?.server as Server, app);
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const read = await request(without?.server as Server)
      .get('/api/v1/caseloads/staff-cm-1')
      .set('Origin', app);
    expect(read.status).toBe(401);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    expect(read.headers['access-control-expose-headers']).toBeUndefined();
  });
});
