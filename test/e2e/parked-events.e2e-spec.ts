import request from 'supertest';
import { caseStreamId } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import { EVENT_STORE } from '@caseledger/platform';
import { randomUUID } from 'node:crypto';
import { runCli } from '../../apps/worker/src/cli/main';
import type { CliIo } from '../../apps/worker/src/cli/projections.command';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { contactBody, daysAgo, enrollmentBody, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];
interface CaseloadCase {
  caseId: string;
  status: string;
  contactDueOn: string | null;
}

/**
 * One event the read side cannot apply must not stall it for every case: the
 * caseload projector and the deadline reactor park it (dead-letter table,
 * /metrics, /health degraded) and go on. The poison here is a planned gap
 * ending 9999-12-31 appended to the store directly, bypassing the API's and
 * the domain's checks, as a bad import or an old bug could have.
 */
describe('poison events are parked; every other case keeps updating (all-in-one, PostgreSQL)', () => {
  let harness: ApiHarness;
  let server: Server;
  let cm: string;
  let store: EventStore;

  beforeAll(async () => {
    harness = await startAllInOne('parked');
    server = harness.server;
    store = harness.app.get<EventStore>(EVENT_STORE);
    cm = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const post = (path: string, body: object) =>
    request(server).post(path).set('Authorization', `Bearer ${cm}`).send(body);

  async function caseloadEntry(caseId: string): Promise<CaseloadCase | undefined> {
    const res = await request(server)
      .get('/api/v1/caseloads/staff-cm-1?pageSize=200')
      .set('Authorization', `Bearer ${cm}`);
    expect(res.status).toBe(200);
    return (res.body as { cases: CaseloadCase[] }).cases.find((c) => c.caseId === caseId);
  }

  async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
    let value = await probe();
    for (let i = 0; i < 400 && !accept(value); i++) {
      await new Promise((r) => setTimeout(r, 25));
      value = await probe();
    }
    return value;
  }

  const cliEnv = (): NodeJS.ProcessEnv => ({
    DATABASE_URL: harness.config.databaseUrl,
    REDIS_URL: harness.config.redisUrl,
    BULLMQ_PREFIX: harness.config.deadlines.prefix,
    LOG_LEVEL: 'silent',
  });
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      stream: process.stderr,
      write: (chunk) => {
        out.push(chunk);
        return Promise.resolve();
      },
    };
    const code = await runCli(argv, io, cliEnv());
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('parks the poison event, keeps projecting and scheduling the other cases, and shows it', async () => {
    // The poisoned case, in the caseload before the poison.
    const poisoned = openCaseBody({ openedOn: daysAgo(20) });
    const poisonedId = poisoned.caseId as string;
    expect((await post('/api/v1/cases', poisoned)).status).toBe(201);
    const before = await eventually(
      () => caseloadEntry(poisonedId),
      (c) => c !== undefined,
    );
    expect(before).toBeDefined();

    const stream = caseStreamId(poisonedId);
    const [opened] = await store.readStream(stream);
    const commandId = randomUUID();
    await store.append(
      stream,
      [
        {
          eventId: randomUUID(),
          type: 'PlannedGapScheduled',
          data: {
            gapId: randomUUID(),
            startDate: daysAgo(5),
            endDate: '9999-12-31',
            reason: 'HEALTH',
          },
          metadata: { ...opened.metadata, commandId, causationId: commandId },
        },
      ],
      0,
    );

    // Another case written after the poison: projected, and its deadlines still fire
    // (opened 100 days ago with no contact, the reactor's job soft-exits it, R17).
    const due = openCaseBody({ openedOn: daysAgo(100) });
    const dueId = due.caseId as string;
    expect((await post('/api/v1/cases', due)).status).toBe(201);
    const exited = await eventually(
      () => caseloadEntry(dueId),
      (c) => c?.status === 'SOFT_EXITED',
    );
    expect(exited?.status).toBe('SOFT_EXITED');

    // And an active case's contact moves its row.
    const active = openCaseBody({ openedOn: daysAgo(30) });
    const activeId = active.caseId as string;
    expect((await post('/api/v1/cases', active)).status).toBe(201);
    expect((await post(`/api/v1/cases/${activeId}/enrollments`, enrollmentBody())).status).toBe(
      201,
    );
    expect((await post(`/api/v1/cases/${activeId}/contacts`, contactBody())).status).toBe(201);
    const contacted = await eventually(
      () => caseloadEntry(activeId),
      (c) => c !== undefined && c.contactDueOn !== null && c.contactDueOn > daysAgo(-30),
    );
    expect(contacted?.contactDueOn).not.toBeNull();
    expect(contacted!.contactDueOn! > daysAgo(-30)).toBe(true);

    // The poison is parked for the projector, with the event and the error.
    const listed = await eventually(
      () => cli('parked', 'list', '--json'),
      (r) => r.out.includes('PlannedGapScheduled'),
    );
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.out) as Array<{
      consumer: string;
      streamId: string;
      revision: number;
      eventType: string;
      error: string;
      attempts: number;
    }>;
    const caseloadRow = rows.find((r) => r.consumer === 'caseload');
    expect(caseloadRow).toMatchObject({
      streamId: stream,
      revision: 1,
      eventType: 'PlannedGapScheduled',
      attempts: 1,
    });
    expect(caseloadRow!.error.length).toBeGreaterThan(0);
    // The deadline reactor could not derive the case's deadlines either: parked too.
    expect(rows.find((r) => r.consumer === 'deadline-reactor')).toMatchObject({
      streamId: stream,
      revision: 1,
      eventType: 'PlannedGapScheduled',
      attempts: 1,
    });
    // The poisoned case's row stays as it was before the poison.
    expect(await caseloadEntry(poisonedId)).toEqual(before);

    const text = await cli('parked', 'list');
    expect(text.out).toContain(stream);

    // /metrics counts it, /health reports the consumer degraded (the process still serves).
    const metrics = await request(server).get('/metrics');
    expect(metrics.text).toMatch(/caseledger_parked_events\{consumer="caseload"\} 1\b/);
    const health = await request(server).get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      checks: { consumers: { status: 'degraded', parked: { caseload: 1 } } },
    });

    // A retry while the cause is not fixed changes nothing and counts the attempt.
    const retry = await cli('parked', 'retry');
    expect(retry.code).toBe(1);
    expect(retry.err).toContain('still failing');
    const again = JSON.parse((await cli('parked', 'list', '--json')).out) as Array<{
      consumer: string;
      attempts: number;
    }>;
    expect(again.map((r) => [r.consumer, r.attempts]).sort()).toEqual([
      ['caseload', 2],
      ['deadline-reactor', 2],
    ]);
  });
});
