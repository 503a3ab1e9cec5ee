import type { AddressInfo } from 'node:net';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, enrollmentBody, openCaseBody } from './support/case-requests';

const WRITERS = 100;

/**
 * One busy case must not starve its writers: commands on one stream run one
 * after another inside the process (the executor's per-case queue), so
 * in-process contention never reaches the store's optimistic check, which is
 * left for races between processes.
 */
describe('100 concurrent commands on one case over HTTP', () => {
  let harness: ApiHarness;
  let base: string;
  let token: string;

  beforeAll(async () => {
    harness = await startApi('postgres');
    await harness.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(harness.app.getHttpServer().address() as AddressInfo).port}`;
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('fewer than 1% end in 409, and every accepted one is in the history once', async () => {
    const open = openCaseBody();
    const caseId = open.caseId as string;
    expect((await post('/api/v1/cases', open)).status).toBe(201);
    expect((await post(`/api/v1/cases/${caseId}/enrollments`, enrollmentBody())).status).toBe(201);

    const statuses = await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const res = await post(`/api/v1/cases/${caseId}/contacts`, contactBody());
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const conflicts = statuses.filter((s) => s === 409).length;
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    expect(conflicts / WRITERS).toBeLessThan(0.01);

    const history = await fetch(`${base}/api/v1/cases/${caseId}/history`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const body = (await history.json()) as { events: Array<{ type: string }> };
    expect(body.events.filter((e) => e.type === 'ContactRecorded')).toHaveLength(
      statuses.filter((s) => s === 201).length,
    );
  });
});
