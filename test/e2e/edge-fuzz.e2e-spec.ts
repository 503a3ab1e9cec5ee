import fc from 'fast-check';
import { addDays } from '@caseledger/domain';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tokenFor } from './support/api-harness';
import {
  contactBody,
  daysAgo,
  enrollmentBody,
  jobBody,
  openCaseBody,
  today,
} from './support/case-requests';
import { startEdgeApp, type EdgeHarness } from './support/edge-harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Template = Record<string, Json>;

/**
 * "Every malformed input is a 4xx" as a property (seeded, bounded): at least
 * 2,000 malformed requests over every POST route of the served OpenAPI
 * document, each built from a valid body with at least one definite defect
 * (or from nothing, for routes without a template here), with and without an
 * Idempotency-Key. Every answer is a 4xx problem+json and not one event is
 * appended. One app, real HTTP on a loopback port.
 */
const SEED = 20_261_202;
const RUNS = 2_200;

const CASE_ID = 'fuzz-case-1';

/** Valid bodies per route (all their fields required, so removing one is a defect). */
function templates(): Record<string, Template> {
  const { caseId: _omit, ...open } = openCaseBody({ localAreaId: 'MO-DEFAULT' }) as Template;
  const { startDate: _s, ...enrollment } = enrollmentBody() as Template;
  return {
    '/api/v1/cases': open,
    '/api/v1/cases/{caseId}/enrollments': { ...enrollment, startDate: daysAgo(5) },
    '/api/v1/cases/{caseId}/enrollments/{enrollmentId}/end': {
      endDate: daysAgo(1),
      outcome: 'COMPLETED',
    },
    '/api/v1/cases/{caseId}/contacts': contactBody() as Template,
    '/api/v1/cases/{caseId}/barriers': {
      category: 'HOUSING',
      description: 'Unstable housing this month',
      plan: 'Referral to the housing office',
      identifiedOn: daysAgo(2),
    },
    '/api/v1/cases/{caseId}/barriers/{barrierId}/overcome': {
      how: 'Found a stable flat',
      overcomeOn: daysAgo(1),
    },
    '/api/v1/cases/{caseId}/planned-gaps': {
      startDate: daysAgo(1),
      endDate: addDays(today(), 20),
      reason: 'HEALTH',
    },
    '/api/v1/cases/{caseId}/goals': { statement: 'Full-time work in logistics' },
    '/api/v1/cases/{caseId}/goals/{goalId}/resolve': { status: 'ACHIEVED' },
    '/api/v1/cases/{caseId}/assessments': {
      kind: 'READING',
      administeredOn: daysAgo(3),
      summary: 'Reads at a ninth-grade level',
    },
    '/api/v1/cases/{caseId}/employment': { job: jobBody() as Template, startDate: daysAgo(2) },
    '/api/v1/cases/{caseId}/transfer': {
      toCareerCenterId: 'cc-1',
      toCaseManagerId: 'staff-cm-9',
      reason: 'Customer moved closer to this center',
    },
    '/api/v1/cases/{caseId}/suspend': { reason: 'CUSTOMER_WITHDREW', details: 'Moved away' },
    '/api/v1/cases/{caseId}/suspension/return': { requestedInformation: 'Need the closing note' },
  };
}

const ENTITY_IDS: Record<string, string> = {
  caseId: CASE_ID,
  enrollmentId: 'en-1',
  barrierId: 'ba-1',
  goalId: 'go-1',
};

const fillPath = (path: string): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => ENTITY_IDS[name] ?? 'fuzz-entity-1');

// ------------------------------------------------------------------ defects

const badText = fc.oneof(
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.string().map((s) => `${s}\uD800`),
  fc.string().map((s) => `\uDC00${s}`),
);
const badDate = fc.oneof(
  fc.constantFrom('9999-12-31', '2026-02-30', '1989-12-31', '0000-01-01', '+010000-03-01', ''),
  fc.integer({ min: 2031, max: 9999 }).map((y) => `${y}-01-01`),
  fc.integer({ min: 1000, max: 1989 }).map((y) => `${y}-06-15`),
  fc.string(),
  fc.integer(),
);
/** A placeholder replaced by deep nesting in the JSON text (JSON.stringify itself would overflow). */
const DEEP = '\u2063deep\u2063';
const deepText = (depth: number): string =>
  depth % 2 === 0
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepValue = fc.integer({ min: 33, max: 6_000 });
const anyJson = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
const DATE_FIELD = /(On|Date)$/;

/** Paths to every leaf and nested object of a template: ['customer', 'firstName']… */
function fieldPaths(value: Json, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  const nested = Object.entries(value).flatMap(([k, v]) => fieldPaths(v, [...prefix, k]));
  return prefix.length > 0 ? [prefix, ...nested] : nested;
}

function setAt(
  root: Template,
  path: string[],
  update: (old: Json | undefined) => Json | undefined,
): Template {
  const copy = structuredClone(root);
  let node: Record<string, Json> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, Json>;
  const last = path[path.length - 1];
  const next = update(node[last]);
  if (next === undefined) delete node[last];
  else node[last] = next;
  return copy;
}

interface Attempt {
  label: string;
  /** The request body as sent (JSON text, or raw bytes/text for transport defects). */
  body: string | Buffer;
  contentType?: string;
  contentEncoding?: string;
}

const asJson = (label: string, value: unknown): Attempt => ({ label, body: JSON.stringify(value) });

/** One definite defect applied to a template (or to `{}` for routes without one). */
function defect(template: Template | undefined): fc.Arbitrary<Attempt> {
  const base = template ?? {};
  const paths = fieldPaths(base);
  const anyPath = paths.length > 0 ? fc.constantFrom(...paths) : undefined;
  const stringPaths = paths.filter(
    (p) => typeof p.reduce<Json>((n, k) => (n as Template)[k], base) === 'string',
  );
  const datePaths = paths.filter((p) => DATE_FIELD.test(p[p.length - 1]));
  const objectPaths = [
    [],
    ...paths.filter((p) => typeOf(p.reduce<Json>((n, k) => (n as Template)[k], base)) === 'object'),
  ];
  const unknownKey = fc
    .string({ minLength: 1, maxLength: 12 })
    .filter((k) => !paths.some((p) => p[p.length - 1] === k) && k !== '__proto__');

  const generic: Array<fc.Arbitrary<Attempt>> = [
    fc
      .tuple(fc.constantFrom(...objectPaths), unknownKey, anyJson)
      .map(([at, key, value]) =>
        asJson(
          'unknown field',
          at.length === 0
            ? { ...base, [key]: value }
            : setAt(base, at, (o) => ({ ...(o as Template), [key]: value })),
        ),
      ),
    fc
      .tuple(
        fc.constantFrom(...objectPaths),
        fc.constantFrom('__proto__', 'constructor', 'prototype'),
        anyJson,
      )
      .map(([at, key, value]) => {
        // Written as text: an object literal's __proto__ would set the prototype instead of a key.
        const inner = JSON.stringify(value);
        const text = JSON.stringify(base);
        if (at.length === 0)
          return {
            label: `${key} key`,
            body: text.replace(/^\{/, `{"${key}":${inner}${text === '{}' ? '' : ','}`),
          };
        const nested = JSON.stringify(at.reduce<Json>((n, k) => (n as Template)[k], base));
        const replaced = nested.replace(/^\{/, `{"${key}":${inner}${nested === '{}' ? '' : ','}`);
        return { label: `nested ${key} key`, body: text.replace(nested, replaced) };
      }),
    fc
      .tuple(unknownKey, badText)
      .map(([key, text]) => asJson('bad text, unknown field', { ...base, [key]: text })),
    fc.tuple(fc.constantFrom(...objectPaths), unknownKey, deepValue).map(([at, key, depth]) => {
      const body =
        at.length === 0
          ? { ...base, [key]: DEEP }
          : setAt(base, at, (o) => ({ ...(o as Template), [key]: DEEP }));
      return {
        label: 'deep nesting',
        body: JSON.stringify(body).replace(`"${DEEP}"`, deepText(depth)),
      };
    }),
    fc
      .oneof(
        fc.array(anyJson, { maxLength: 3 }),
        fc.integer(),
        fc.string(),
        fc.constant(null),
        fc.boolean(),
      )
      .map((v) => asJson('not an object', v)),
    fc.integer({ min: 1, max: 200 }).map((cut) => {
      const text = JSON.stringify({ ...base, note: 'x' });
      return { label: 'truncated JSON', body: text.slice(0, Math.min(cut, text.length - 1)) };
    }),
    fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-nonsense').map((encoding) => ({
      label: `garbage ${encoding} body`,
      body: Buffer.from(JSON.stringify({ ...base, junk: true })),
      contentEncoding: encoding,
    })),
  ];
  if (!template || !anyPath) return fc.oneof(...generic);

  const specific: Array<fc.Arbitrary<Attempt>> = [
    anyPath.map((p) =>
      asJson(
        `missing ${p.join('.')}`,
        setAt(base, p, () => undefined),
      ),
    ),
    fc
      .tuple(anyPath, anyJson)
      .filter(([p, v]) => typeOf(v) !== typeOf(p.reduce<Json>((n, k) => (n as Template)[k], base)))
      .map(([p, v]) =>
        asJson(
          `wrong type at ${p.join('.')}`,
          setAt(base, p, () => v),
        ),
      ),
    anyPath.map((p) =>
      asJson(
        `null at ${p.join('.')}`,
        setAt(base, p, () => null),
      ),
    ),
  ];
  if (stringPaths.length > 0)
    specific.push(
      fc.tuple(fc.constantFrom(...stringPaths), badText).map(([p, text]) =>
        asJson(
          `bad text at ${p.join('.')}`,
          setAt(base, p, () => text),
        ),
      ),
    );
  if (datePaths.length > 0)
    specific.push(
      fc.tuple(fc.constantFrom(...datePaths), badDate).map(([p, d]) =>
        asJson(
          `bad date at ${p.join('.')}`,
          setAt(base, p, () => d),
        ),
      ),
    );
  return fc.oneof(...specific, ...generic);
}

/** Plain node:http with keep-alive: a fraction of fetch's client-side cost per request. */
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
let port = 0;
function post(
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('fuzz: malformed requests over every POST route (seeded, bounded)', () => {
  let h: EdgeHarness;
  let base: string;
  let token: string;
  let routes: string[];

  beforeAll(async () => {
    h = await startEdgeApp('fuzz', { env: { LOG_LEVEL: 'silent' } });
    await h.app.listen(0, '127.0.0.1');
    port = (h.app.getHttpServer().address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    const send = (path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A case with an enrollment, a barrier and a goal, so entity routes reach real entities.
    const opened = await send(
      '/api/v1/cases',
      openCaseBody({ caseId: CASE_ID, localAreaId: 'MO-DEFAULT', openedOn: daysAgo(20) }),
    );
    expect(opened.status).toBe(201);
    for (const [path, body] of [
      ['enrollments', enrollmentBody({ enrollmentId: 'en-1', startDate: daysAgo(20) })],
      [
        'barriers',
        {
          barrierId: 'ba-1',
          category: 'HOUSING',
          description: 'Unstable housing',
          plan: 'Referral',
          identifiedOn: daysAgo(10),
        },
      ],
      ['goals', { goalId: 'go-1', statement: 'Full-time work' }],
    ] as const) {
      const res = await send(`/api/v1/cases/${CASE_ID}/${path}`, body);
      expect(res.status).toBe(201);
    }
    const document = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    routes = Object.entries(document.paths)
      .filter(([, operations]) => 'post' in operations)
      .map(([path]) => path);
  });
  afterAll(async () => {
    agent.destroy();
    await h?.close();
  });

  it('the OpenAPI document lists the POST routes the templates cover (and any newer ones get generic defects)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    for (const path of Object.keys(templates())) expect(routes).toContain(path);
  });

  it(`${RUNS} malformed requests: 0 × 5xx, every answer a 4xx problem+json, 0 events appended`, async () => {
    const known = templates();
    const eventsBefore = await h.eventCount();
    const seen = new Map<number, number>();
    let sent = 0;
    const request = fc.constantFrom(...routes).chain((route) =>
      fc.record({
        route: fc.constant(route),
        attempt: defect(known[route]),
        idempotencyKey: fc.option(fc.uuid(), { nil: undefined }),
      }),
    );
    type Case = { route: string; attempt: Attempt; idempotencyKey?: string };
    const send = async ({ route, attempt, idempotencyKey }: Case): Promise<string | undefined> => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        'content-type': attempt.contentType ?? 'application/json',
      };
      if (attempt.contentEncoding) headers['content-encoding'] = attempt.contentEncoding;
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const res = await post(fillPath(route), headers, attempt.body);
      const text = res.text;
      sent++;
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      const problem = /^application\/problem\+json/.test(res.contentType);
      let status: unknown;
      try {
        status = (JSON.parse(text) as { status?: unknown }).status;
      } catch {
        status = undefined;
      }
      if (res.status >= 400 && res.status < 500 && problem && status === res.status)
        return undefined;
      return `${route} ${attempt.label}: ${res.status} ${res.contentType} ${text.slice(0, 300)}`;
    };
    // Seeded and reproducible; sent 8 at a time (one app, real HTTP) to keep the run short.
    const cases = fc.sample(request, { seed: SEED, numRuns: RUNS }) as Case[];
    const failures: string[] = [];
    for (let i = 0; i < cases.length; i += 8) {
      const verdicts = await Promise.all(cases.slice(i, i + 8).map(send));
      failures.push(...verdicts.filter((v): v is string => v !== undefined));
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(await h.eventCount()).toBe(eventsBefore);
    // Most defects are caught at the edge; a few reach the domain (e.g. {} for a route whose body is all optional).
    expect(seen.get(400) ?? 0).toBeGreaterThan(RUNS * 0.8);
  });
});
