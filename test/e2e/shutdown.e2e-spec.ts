import { caseStreamId } from '@caseledger/domain';
import { DEADLINE_QUEUE, SWEEP_QUEUE } from '@caseledger/deadlines';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { redisUrl } from '@caseledger/testing';
import { tokenFor } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';
import {
  API_MAIN,
  freePort,
  postJson,
  startChild,
  startChildWorld,
  waitUntilHealthy,
  type ChildApp,
  type ChildWorld,
  type Exit,
} from './support/child-app';

const COMMANDS = 200;
const CONNECTIONS = 16;
/** SIGTERM goes out once this many commands were acknowledged (mid-load). */
const SIGTERM_AFTER = 60;
const DUE_CASES = 10;

/**
 * The graceful shutdown, proved on the real process (`npm start`'s
 * all-in-one main: the API with the worker side) on PostgreSQL and Redis:
 * SIGTERM under load loses no acknowledged command, leaves no BullMQ job
 * active, and the process exits 0. Its logs carry correlation ids and no
 * customer names.
 */
describe('graceful shutdown under load (SIGTERM)', () => {
  const secretName = `Q${randomUUID().slice(0, 6)}`;
  const firstName = `Zenobia${secretName}`;
  const lastName = `Fairweather${secretName}`;
  let world: ChildWorld;
  let app: ChildApp | undefined;
  let token: string;
  const caseIds: string[] = [];
  const acknowledged: { caseId: string; contactId: string }[] = [];
  const failed: string[] = [];
  let exit: Exit;
  const correlationId = `trace-${randomUUID()}`;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    postJson(app!, token, path, body, headers);

  beforeAll(async () => {
    world = await startChildWorld('shutdown');
    token = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    app = startChild(
      'all-in-one',
      API_MAIN,
      await freePort(),
      world.env({ LOG_LEVEL: 'info', LEASE_RETRY_MS: '500', SHUTDOWN_GRACE_MS: '20000' }),
    );
  });

  afterAll(() => world?.close([app]));

  it('SIGTERM mid-load loses no acknowledged command, leaves no job active and exits 0', async () => {
    await waitUntilHealthy(app!);

    // Cases to write to, one per connection, enrolled (R3) so contacts qualify.
    for (let i = 0; i < CONNECTIONS; i++) {
      const body = openCaseBody({ customer: { id: `cust-${i}`, firstName, lastName } });
      const opened = await post('/api/v1/cases', body);
      expect(opened.status).toBe(201);
      const caseId = body.caseId as string;
      expect((await post(`/api/v1/cases/${caseId}/enrollments`, enrollmentBody())).status).toBe(
        201,
      );
      caseIds.push(caseId);
    }
    // Cases already past their soft-exit date (R8), so deadline jobs run while it stops.
    for (let i = 0; i < DUE_CASES; i++) {
      const due = await post(
        '/api/v1/cases',
        openCaseBody({ openedOn: daysAgo(100), customer: { id: `due-${i}`, firstName, lastName } }),
      );
      expect(due.status).toBe(201);
    }

    // One command carrying its own correlation id (checked in the logs below).
    const traced = await post(
      `/api/v1/cases/${caseIds[0]}/contacts`,
      contactBody({ contactId: randomUUID() }),
      { 'X-Correlation-Id': correlationId },
    );
    expect(traced.status).toBe(201);

    let next = 0;
    let terminated = false;
    const connection = async (caseId: string): Promise<void> => {
      while (next < COMMANDS) {
        next++;
        const contactId = randomUUID();
        try {
          const res = await post(`/api/v1/cases/${caseId}/contacts`, contactBody({ contactId }));
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) acknowledged.push({ caseId, contactId });
          else failed.push(`HTTP ${res.status}`);
        } catch (error) {
          failed.push((error as Error).message);
        }
        if (!terminated && acknowledged.length >= SIGTERM_AFTER) {
          terminated = true;
          app!.signal('SIGTERM');
        }
      }
    };
    await Promise.all(caseIds.map((caseId) => connection(caseId)));
    exit = await app!.exited;

    expect(terminated).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
    // It stopped accepting: not every command got through.
    expect(acknowledged.length).toBeGreaterThanOrEqual(SIGTERM_AFTER);
    expect(acknowledged.length).toBeLessThan(COMMANDS);

    // Every acknowledged command is in the store (read the streams directly).
    const { store } = await world.reader();
    const recorded = new Set<string>();
    for (const caseId of caseIds) {
      for (const event of await store.readStream(caseStreamId(caseId))) {
        if (event.type === 'ContactRecorded')
          recorded.add((event.data as { contactId: string }).contactId);
      }
    }
    const lost = acknowledged.filter(({ contactId }) => !recorded.has(contactId));
    expect(lost).toEqual([]);

    // No BullMQ job was left active (workers finished or released theirs).
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: null });
    try {
      for (const name of [DEADLINE_QUEUE, SWEEP_QUEUE]) {
        const queue = new Queue(name, { connection: redis, prefix: world.prefix });
        expect(await queue.getActiveCount()).toBe(0);
        await queue.close();
      }
    } finally {
      await redis.quit();
    }

    // The single consumers stopped through their leases and released them.
    const messages = app!.logLines().map((line) => String(line.msg));
    expect(messages).toContainEqual(expect.stringMatching(/lease projection-caseload released/));
    expect(messages).toContainEqual(expect.stringMatching(/lease deadline-reactor released/));
    expect(messages).toContain('shutdown complete');
  });

  it('logs: each command’s request line carries a correlation id, and no line names the customer', () => {
    const lines = app!.logLines();
    const commandLines = lines.filter((line) => {
      const req = line.req as { url?: string; method?: string } | undefined;
      return req?.method === 'POST' && req.url?.includes('/contacts') === true;
    });
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(commandLines.length).toBeGreaterThanOrEqual(acknowledged.length);
    for (const line of commandLines) {
      expect((line.req as { id?: unknown }).id).toEqual(
        expect.stringMatching(/^[\x21-\x7e]{1,128}$/),
      );
    }
    // A client's own correlation id (X-Correlation-Id) is the one logged.
    expect(commandLines.map((line) => (line.req as { id?: unknown }).id)).toContain(correlationId);
    const everything = [...app!.stdout, ...app!.stderr].join('\n');
    expect(everything).not.toContain(firstName);
    expect(everything).not.toContain(lastName);
  });
});
