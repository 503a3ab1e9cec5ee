import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCaseledgerClient, type CaseledgerClient } from '@caseledger/client';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SCHEMA = join(ROOT, 'packages', 'client', 'src', 'schema.d.ts');

/**
 * packages/client: its types are openapi-typescript's output for the served
 * document (a contract change that is not regenerated fails here; `npm run
 * client:generate` rewrites them), and a whole case lifecycle runs through it.
 */
describe('the typed client (packages/client)', () => {
  let api: ApiHarness | undefined;
  let dir: string;
  let cm: CaseledgerClient;
  let sup: CaseledgerClient;

  beforeAll(async () => {
    api = await startApi('postgres');
    await api.app.listen(0, '127.0.0.1');
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    cm = createCaseledgerClient({
      baseUrl,
      token: await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
    });
    const supToken = await tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' });
    sup = createCaseledgerClient({ baseUrl, token: () => supToken });
    dir = mkdtempSync(join(tmpdir(), 'caseledger-client-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('its generated types match the served OpenAPI document', async () => {
    const res = await fetch(`${baseOf(api as ApiHarness)}/openapi.json`);
    const document = join(dir, 'openapi.json');
    writeFileSync(document, await res.text());
    const generated = join(dir, 'schema.d.ts');
    await run(
      join(ROOT, 'node_modules', '.bin', 'openapi-typescript'),
      [document, '-o', generated],
      {
        cwd: ROOT,
      },
    );
    const fresh = readFileSync(generated, 'utf8');
    if (process.env.UPDATE_CLIENT === '1') writeFileSync(SCHEMA, fresh);
    expect(readFileSync(SCHEMA, 'utf8')).toBe(fresh);
  });

  it('drives a case from opening to closure (R2, R3, R5, R11, R16)', async () => {
    const body = openCaseBody({ openedOn: daysAgo(30) });
    const opened = await cm.POST('/api/v1/cases', {
      body: {
        caseId: body.caseId as string,
        customer: body.customer as { id: string; firstName: string; lastName: string },
        program: 'WIOA_ADULT',
        careerCenterId: 'cc-1',
        localAreaId: 'MO-DEFAULT',
        caseManagerId: 'staff-cm-1',
        openedOn: daysAgo(30),
      },
    });
    expect(opened.response.status).toBe(201);
    const caseId = opened.data?.caseId ?? '';
    expect(caseId).toBe(body.caseId);
    expect(opened.response.headers.get('location')).toBe(`/api/v1/cases/${caseId}`);
    const path = { caseId };

    const e = enrollmentBody({ startDate: daysAgo(30) });
    const enrolled = await cm.POST('/api/v1/cases/{caseId}/enrollments', {
      params: { path },
      body: {
        activityType: 'JOB_SEARCH',
        activityName: e.activityName as string,
        startDate: e.startDate as string,
      },
    });
    expect(enrolled.data?.enrollmentId).toBeTruthy();

    const c = contactBody();
    const contact = await cm.POST('/api/v1/cases/{caseId}/contacts', {
      params: { path },
      body: {
        method: 'IN_PERSON',
        party: 'CUSTOMER',
        outcome: 'REACHED',
        occurredOn: daysAgo(1),
        progress: c.progress as string,
        justification: c.justification as string,
      },
    });
    expect(contact.data?.qualifying).toBe(true);

    const barrier = await cm.POST('/api/v1/cases/{caseId}/barriers', {
      params: { path },
      body: {
        category: 'TRANSPORTATION',
        description: 'No car and no bus line to the training site',
        plan: 'Bus pass from the support-services fund',
        identifiedOn: daysAgo(1),
      },
    });
    const barrierId = barrier.data?.barrierId ?? '';
    const overcome = await cm.POST('/api/v1/cases/{caseId}/barriers/{barrierId}/overcome', {
      params: { path: { caseId, barrierId } },
      body: { how: 'Bus pass issued', overcomeOn: daysAgo(0) },
    });
    expect(overcome.response.status).toBe(200);

    const state = await cm.GET('/api/v1/cases/{caseId}', { params: { path } });
    expect(state.response.headers.get('etag')).toBe(`"${state.data?.revision}"`);
    expect(state.data?.status).toBe('ACTIVE');
    expect(state.data?.contacts[0]?.method).toBe('IN_PERSON');
    expect(state.data?.barriers[0]?.status).toBe('OVERCOME');

    const suspended = await cm.POST('/api/v1/cases/{caseId}/suspend', {
      params: { path },
      body: { reason: 'CUSTOMER_WITHDREW', details: 'Moved away and asked to stop services.' },
    });
    expect(suspended.response.status).toBe(200);
    const approved = await sup.POST('/api/v1/cases/{caseId}/suspension/approve', {
      params: { path },
      body: {},
    });
    expect(approved.response.status).toBe(200);

    const closed = await cm.GET('/api/v1/cases/{caseId}', { params: { path } });
    expect(closed.data?.status).toBe('CLOSED');
    expect(closed.data?.closureReason).toBe('CUSTOMER_WITHDREW');
    const history = await sup.GET('/api/v1/cases/{caseId}/history', { params: { path } });
    const types = history.data?.events.map((event) => event.type);
    expect(types?.[0]).toBe('CaseOpened');
    expect(types).toContain('CaseClosed');

    // A refusal comes back as the problem document, typed as the error.
    const refused = await cm.POST('/api/v1/cases/{caseId}/contacts', {
      params: { path },
      body: {
        method: 'IN_PERSON',
        party: 'CUSTOMER',
        outcome: 'REACHED',
        occurredOn: daysAgo(0),
        progress: c.progress as string,
        justification: c.justification as string,
      },
    });
    expect(refused.response.status).toBeGreaterThanOrEqual(400);
    expect(refused.response.status).toBeLessThan(500);
    expect(refused.data).toBeUndefined();
  });
});

function baseOf(api: ApiHarness): string {
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}
