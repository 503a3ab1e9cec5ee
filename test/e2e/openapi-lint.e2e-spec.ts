import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
}
interface Document {
  servers?: unknown[];
  info: { license?: { name: string } };
  tags?: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

/** The served document is one a client can be generated from, and the linter finds no error in it. */
describe('OpenAPI document for client generation', () => {
  let api: ApiHarness | undefined;
  let document: Document;
  let dir: string;

  beforeAll(async () => {
    api = await startApi('postgres');
    document = (await request(api.server).get('/openapi.json')).body as Document;
    dir = mkdtempSync(join(tmpdir(), 'caseledger-openapi-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );

  it('names every operation (openCase, recordContact, getCase…), once, under one declared tag', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids).toEqual(
      expect.arrayContaining(['openCase', 'recordContact', 'getCase', 'findCases']),
    );
    expect(new Set(ids).size).toBe(ids.length);
    const declared = new Set((document.tags ?? []).map((t) => t.name));
    for (const { path, method, op } of operations())
      expect({
        path,
        method,
        tags: op.tags?.length,
        known: declared.has(op.tags?.[0] ?? '') ? true : op.tags,
      }).toEqual({ path, method, tags: 1, known: true });
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.info.license?.name).toBeTruthy();
  });

  it('declares the response headers and security: [] on public routes', () => {
    const open = document.paths['/api/v1/cases'].post;
    expect(Object.keys(open.responses['201'].headers ?? {})).toEqual(
      expect.arrayContaining(['Location', 'Idempotency-Replayed', 'X-Correlation-Id']),
    );
    expect(
      Object.keys(document.paths['/api/v1/cases/{caseId}'].get.responses['200'].headers ?? {}),
    ).toContain('ETag');
    expect(document.paths['/health'].get.security).toEqual([]);
    expect(open.security).not.toEqual([]);
  });

  it('types the case down to its nested arrays with named enums, and the history as a union by type', () => {
    const state = document.components.schemas.CaseStateResponse as {
      properties: Record<string, { items?: { $ref?: string } }>;
    };
    expect(state.properties.contacts.items?.$ref).toBe('#/components/schemas/ContactView');
    expect(state.properties.barriers.items?.$ref).toBe('#/components/schemas/BarrierView');
    expect(document.components.schemas.ContactMethod).toMatchObject({
      enum: ['IN_PERSON', 'TELEPHONE', 'LETTER', 'EMAIL'],
    });
    expect(document.components.schemas.HistoryEvent).toMatchObject({
      discriminator: { propertyName: 'type' },
    });
  });

  it('redocly lint: 0 errors', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const result = await run(
      join(ROOT, 'node_modules', '.bin', 'redocly'),
      ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: ROOT,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    const report = JSON.parse(result.stdout) as {
      problems: Array<{ ruleId: string; severity: string; message: string; location: unknown[] }>;
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} ${JSON.stringify(p.location[0])}`);
    expect(errors).toEqual([]);
  });
});
