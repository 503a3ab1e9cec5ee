import request from 'supertest';
import { addDays, businessDateAt } from '@caseledger/domain';
import { randomUUID } from 'node:crypto';
import { tokenFor } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody, today } from './support/case-requests';
import { startEdgeApp, type EdgeHarness } from './support/edge-harness';

type Body = Record<string, unknown>;
interface Problem {
  type: string;
  status: number;
  errors?: Array<{ field: string; message: string }>;
}

/**
 * The HTTP edge as a hostile or careless client meets it: every malformed
 * input is a 400 problem naming the field and appends nothing; dates outside
 * the plausible range never become events; `asOf` is strict; security
 * headers, no-store, R13 scoping of the compliance view, and no credential in
 * any log line. One all-in-one app (the compliance view needs the projector).
 */
describe('HTTP edge hardening (all-in-one app on PostgreSQL)', () => {
  let h: EdgeHarness;
  let cm: string;
  let admin: string;
  let auditor: string;
  let supCc1: string;
  let supCc2: string;

  beforeAll(async () => {
    h = await startEdgeApp('edge', { worker: true });
    [cm, admin, auditor, supCc1, supCc2] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
      tokenFor({ role: 'auditor', center: 'state', sub: 'auditor-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
      tokenFor({ role: 'supervisor', center: 'cc-2', sub: 'staff-sup-2' }),
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const post = (path: string, body: unknown, token = cm) =>
    request(h.server)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .send(body as object);
  const postRaw = (path: string, text: string, headers: Record<string, string> = {}) => {
    let req = request(h.server)
      .post(path)
      .set('Authorization', `Bearer ${cm}`)
      .set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req.send(text);
  };
  const get = (path: string, token = cm) =>
    request(h.server).get(path).set('Authorization', `Bearer ${token}`);

  async function givenCase(overrides: Body = {}): Promise<string> {
    const body = openCaseBody({ localAreaId: 'MO-DEFAULT', ...overrides });
    const open = await post('/api/v1/cases', body);
    expect(open.status).toBe(201);
    const caseId = body.caseId as string;
    const enrolled = await post(
      `/api/v1/cases/${caseId}/enrollments`,
      enrollmentBody({ startDate: body.openedOn }),
    );
    expect(enrolled.status).toBe(201);
    return caseId;
  }

  /** A 400 problem naming `fields`, and not one event appended anywhere. */
  async function expect400(send: () => Promise<request.Response>, fields: string[]) {
    const before = await h.eventCount();
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.body as Problem;
    expect(problem.status).toBe(400);
    const named = (problem.errors ?? []).map((e) => e.field);
    for (const field of fields) expect(named).toContain(field);
    expect(await h.eventCount()).toBe(before);
    return problem;
  }

  describe('dates (DESIGN.md "Dates", v2): a plausible range, real calendar dates', () => {
    it('a planned gap ending 9999-12-31 is a 400 naming endDate, never an event', async () => {
      const caseId = await givenCase();
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/planned-gaps`, {
            startDate: daysAgo(1),
            endDate: '9999-12-31',
            reason: 'HEALTH',
          }),
        ['endDate'],
      );
    });

    it('2026-02-30 is a 400, not 2026-03-02 (contact, opening)', async () => {
      const caseId = await givenCase();
      await expect400(
        () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ occurredOn: '2026-02-30' })),
        ['occurredOn'],
      );
      await expect400(
        () => post('/api/v1/cases', openCaseBody({ openedOn: '2026-02-30' })),
        ['openedOn'],
      );
    });

    it('openedOn before 1990-01-01 or far in the future is a 400', async () => {
      await expect400(
        () => post('/api/v1/cases', openCaseBody({ openedOn: '1989-12-31' })),
        ['openedOn'],
      );
      await expect400(
        () => post('/api/v1/cases', openCaseBody({ openedOn: addDays(today(), 30) })),
        ['openedOn'],
      );
    });

    it('an enrollment may plan its end up to 2 years ahead, not 3', async () => {
      const caseId = await givenCase();
      await expect400(
        () =>
          post(
            `/api/v1/cases/${caseId}/enrollments`,
            enrollmentBody({ startDate: daysAgo(1), endDate: addDays(today(), 3 * 365) }),
          ),
        ['endDate'],
      );
      const ok = await post(
        `/api/v1/cases/${caseId}/enrollments`,
        enrollmentBody({ startDate: daysAgo(1), endDate: addDays(today(), 365) }),
      );
      expect(ok.status).toBe(201);
    });

    it('every date field is checked: barrier, assessment, employment, overcome, enrollment end', async () => {
      const caseId = await givenCase();
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/barriers`, {
            category: 'HOUSING',
            description: 'Unstable housing',
            plan: 'Refer to the housing office',
            identifiedOn: '0999-01-01',
          }),
        ['identifiedOn'],
      );
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/assessments`, {
            kind: 'READING',
            administeredOn: '2026-04-31',
            summary: 'Reading level assessed',
          }),
        ['administeredOn'],
      );
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/enrollments/any/end`, {
            endDate: '9999-12-31',
            outcome: 'COMPLETED',
          }),
        ['endDate'],
      );
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/barriers/any/overcome`, {
            how: 'Found housing',
            overcomeOn: '+002026-01-01',
          }),
        ['overcomeOn'],
      );
    });
  });

  describe('asOf on GET /api/v1/cases/{id}', () => {
    it('a date is the end of that day in the case area (America/Chicago for MO-DEFAULT)', async () => {
      const caseId = await givenCase({ openedOn: daysAgo(3) });
      const localToday = businessDateAt(new Date(), 'America/Chicago');
      const res = await get(`/api/v1/cases/${caseId}?asOf=${localToday}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ caseId, revision: 1 });
      // The end of yesterday (local) is before the case was recorded.
      const before = await get(`/api/v1/cases/${caseId}?asOf=${addDays(localToday, -1)}`);
      expect(before.status).toBe(404);
    });

    it.each([
      '2026-02-30',
      '9999-12-31',
      '1989-12-31',
      '%2B275760-09-13T00:00:00Z',
      '2026-03-01T12:00:00',
      '1e300',
    ])('asOf=%s is a 400 naming asOf', async (asOf) => {
      const caseId = await givenCase();
      await expect400(() => get(`/api/v1/cases/${caseId}?asOf=${asOf}`), ['asOf']);
    });
  });

  describe('text PostgreSQL cannot store, and malformed structure', () => {
    it('a NUL in any text field is a 400 naming it (nested too)', async () => {
      const caseId = await givenCase();
      await expect400(
        () =>
          post(
            `/api/v1/cases/${caseId}/contacts`,
            contactBody({ progress: 'Attended\u0000 three sessions and applied to four jobs.' }),
          ),
        ['progress'],
      );
      await expect400(
        () =>
          post(
            '/api/v1/cases',
            openCaseBody({ customer: { id: 'c-1', firstName: 'A\u0000da', lastName: 'L' } }),
          ),
        ['customer.firstName'],
      );
    });

    it('a lone surrogate (escaped in the JSON) is a 400 naming the field', async () => {
      const caseId = await givenCase();
      const body = JSON.stringify({ statement: 'GOAL_PLACEHOLDER' }).replace(
        'GOAL_PLACEHOLDER',
        'Find work \\ud800 soon',
      );
      await expect400(() => postRaw(`/api/v1/cases/${caseId}/goals`, body), ['statement']);
    });

    it('a 5,000-deep array with an Idempotency-Key is a 400, not a stack overflow', async () => {
      const caseId = await givenCase();
      const deep = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`;
      await expect400(
        () =>
          postRaw(
            `/api/v1/cases/${caseId}/goals`,
            `{"statement":"Find work","wageRangeDesired":${deep}}`,
            { 'Idempotency-Key': randomUUID() },
          ),
        [],
      );
    });

    it('null for an optional object (wageRangeDesired: null) is a 400 naming it', async () => {
      const caseId = await givenCase();
      await expect400(
        () =>
          post(`/api/v1/cases/${caseId}/goals`, { statement: 'Find work', wageRangeDesired: null }),
        ['wageRangeDesired'],
      );
      await expect400(
        () => post(`/api/v1/cases/${caseId}/contacts`, contactBody({ followUp: null })),
        ['followUp'],
      );
    });

    it.each(['__proto__', 'constructor'])(
      'a %s key is a 400 like any unknown field',
      async (key) => {
        const caseId = await givenCase();
        await expect400(
          () =>
            postRaw(
              `/api/v1/cases/${caseId}/goals`,
              `{"statement":"Find work","${key}":{"isAdmin":true}}`,
            ),
          [key],
        );
        await expect400(
          () =>
            postRaw(
              `/api/v1/cases/${caseId}/goals`,
              `{"statement":"Find work","wageRangeDesired":{"min":1,"max":2,"${key}":{"x":1}}}`,
            ),
          [`wageRangeDesired.${key}`],
        );
      },
    );

    it('huge or non-decimal numeric query parameters are a 400', async () => {
      for (const query of [
        'page=1e300',
        'page=99999999999',
        'pageSize=1e2',
        'page=0x10',
        'page=-1',
      ])
        await expect400(() => get(`/api/v1/caseloads/staff-cm-1?${query}`), []);
      await expect400(() => get('/api/v1/caseloads?dueWithinDays=1e300', supCc1), []);
      await expect400(() => get('/api/v1/audit/compliance?limit=1e300', auditor), []);
      expect((await get('/api/v1/caseloads/staff-cm-1?page=2&pageSize=10')).status).toBe(200);
    });

    it('a garbage Content-Encoding body is a 4xx problem, never a 5xx', async () => {
      const caseId = await givenCase();
      for (const encoding of ['gzip', 'deflate', 'br', 'x-garbage']) {
        const before = await h.eventCount();
        const res = await request(h.server)
          .post(`/api/v1/cases/${caseId}/goals`)
          .set('Authorization', `Bearer ${cm}`)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .send(Buffer.from('this is not compressed at all'));
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(await h.eventCount()).toBe(before);
      }
    });
  });

  describe('HTTP hardening', () => {
    it('security headers, no X-Powered-By, and Cache-Control: no-store on answers with personal data', async () => {
      const caseId = await givenCase();
      for (const res of [
        await get(`/api/v1/cases/${caseId}`),
        await get(`/api/v1/cases/${caseId}/history`),
        await get('/api/v1/caseloads/staff-cm-1'),
        await get(`/api/v1/cases/missing-case`),
        await post('/api/v1/cases', {}),
      ]) {
        expect(res.headers['x-powered-by']).toBeUndefined();
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('HSTS once served over https (behind a TLS-terminating proxy)', async () => {
      const res = await request(h.server).get('/health').set('X-Forwarded-Proto', 'https');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    });

    it('Swagger UI at /docs runs under the CSP: only same-origin script files, each served', async () => {
      const page = await request(h.server).get('/docs/');
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [, attributes, inline] of scripts) {
        // An inline script would be blocked by script-src 'self'.
        expect(inline.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        expect(src).toBeDefined();
        expect(src).not.toMatch(/^(https?:)?\/\//);
        const asset = await request(h.server).get(new URL(src!, 'http://x/docs/').pathname);
        expect(asset.status).toBe(200);
        expect(asset.headers['content-type']).toMatch(/javascript/);
      }
    });

    it('Bull Board runs under the CSP; its token cookie is Secure over https; the token never reaches a log line', async () => {
      const plain = await request(h.server).get(`/admin/queues?token=${admin}`);
      expect(plain.status).toBe(200);
      expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
      const secure = await request(h.server)
        .get(`/admin/queues?token=${admin}`)
        .set('X-Forwarded-Proto', 'https');
      expect(String(secure.headers['set-cookie'])).toMatch(/; Secure/);
      const scripts = [...plain.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBeGreaterThan(0);
      for (const [attributes, inline] of scripts.map((m) => [m[1], m[2]])) {
        // Data blocks (type application/json) are not executed, so CSP allows them.
        if (/type=["']application\/json["']/.test(attributes)) continue;
        expect(inline.trim()).toBe('');
        const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
        expect(src).toBeDefined();
        const asset = await request(h.server)
          .get(new URL(src!, 'http://x/admin/queues/').pathname)
          .set('Authorization', `Bearer ${admin}`);
        expect(asset.status).toBe(200);
      }
      const logged = h.logLines().join('\n');
      expect(logged).toContain('/admin/queues?token=[REDACTED]');
      expect(logged).not.toContain(admin);
      expect(logged).not.toContain(admin.split('.')[2]);
    });
  });

  describe('R13 (v2): read scoping of the compliance view', () => {
    it('a supervisor sees only findings of their own (and cleared) centers; auditors see all', async () => {
      // MA-DEFAULT's 60-day contact standard (R9): opened 65 days ago, enrolled, never contacted.
      const lastName = `Scoped${randomUUID().slice(0, 6)}`;
      const caseId = await givenCase({
        localAreaId: 'MA-DEFAULT',
        openedOn: daysAgo(65),
        customer: { id: `cust-${randomUUID().slice(0, 8)}`, firstName: 'Grace', lastName },
      });
      const listed = (body: unknown): boolean => JSON.stringify(body).includes(caseId);
      let seen = false;
      for (let attempt = 0; attempt < 400 && !seen; attempt++) {
        const res = await get('/api/v1/audit/compliance', auditor);
        expect(res.status).toBe(200);
        seen = listed(res.body);
        if (!seen) await new Promise((r) => setTimeout(r, 25));
      }
      expect(seen).toBe(true);
      const own = await get('/api/v1/audit/compliance', supCc1);
      expect(own.status).toBe(200);
      expect(listed(own.body)).toBe(true);
      const other = await get('/api/v1/audit/compliance', supCc2);
      expect(other.status).toBe(200);
      expect(listed(other.body)).toBe(false);
      expect(JSON.stringify(other.body)).not.toContain(lastName);
      const cleared = await get(
        '/api/v1/audit/compliance',
        await tokenFor({ role: 'supervisor', center: 'cc-2', clearances: ['cc-1'] }),
      );
      expect(listed(cleared.body)).toBe(true);
    });
  });
});

/** Operators' options: a per-client rate limit and OPS_TOKEN on /metrics and /docs. */
describe('rate limit and operators-only endpoints (API app, small limits)', () => {
  let h: EdgeHarness;
  const OPS = 'ops-token-for-the-e2e-test-0123456789';

  beforeAll(async () => {
    h = await startEdgeApp('edge_ops', {
      env: { RATE_LIMIT_REQUESTS: '8', RATE_LIMIT_WINDOW_MS: '60000', OPS_TOKEN: OPS },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('OPS_TOKEN protects /metrics, /docs and /openapi.json (Bearer or Basic); /health stays open', async () => {
    for (const path of ['/metrics', '/docs/', '/openapi.json']) {
      const refused = await request(h.server).get(path);
      expect(refused.status).toBe(401);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['www-authenticate']).toMatch(/^Basic/);
    }
    expect(
      (await request(h.server).get('/metrics').set('Authorization', `Bearer ${OPS}`)).status,
    ).toBe(200);
    expect((await request(h.server).get('/docs/').auth('ops', OPS)).status).toBe(200);
    expect(
      (await request(h.server).get('/metrics').set('Authorization', 'Bearer wrong')).status,
    ).toBe(401);
  });

  it('past RATE_LIMIT_REQUESTS per window a client gets 429 problem+json with Retry-After; /health is never throttled', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 12; i++) last = await request(h.server).get('/api/v1/caseloads/x');
    expect(last?.status).toBe(429);
    expect(last?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect((last?.body as Problem).type).toBe('https://caseledger.dev/problems/too-many-requests');
    expect((await request(h.server).get('/health')).status).not.toBe(429);
  });
});
