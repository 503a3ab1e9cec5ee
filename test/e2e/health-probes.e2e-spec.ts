import request from 'supertest';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@caseledger/event-store';
import { EVENT_STORE } from '@caseledger/platform';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];

/** Kubernetes probes: /health/live (the process answers), /health/ready (store, Redis, no parked consumer). */
describe('liveness and readiness probes (all-in-one app)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;

  beforeAll(async () => {
    harness = await startAllInOne('probes');
    server = harness.server;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('live and ready answer 200 without a token', async () => {
    const live = await request(server).get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await request(server).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      checks: { eventStore: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('a consumer with a parked event makes the process not ready (503) while it stays live', async () => {
    const token = await tokenFor({ role: 'case_manager', center: 'cc-1' });
    const body = openCaseBody();
    const opened = await request(server)
      .post('/api/v1/cases')
      .set('Authorization', `Bearer ${token}`)
      .send(body);
    expect(opened.status).toBe(201);
    // An event no consumer can fold (an unknown type) is parked, not applied.
    const store = harness?.app.get<EventStore>(EVENT_STORE);
    await store?.append(
      `case-${body.caseId as string}`,
      [
        {
          eventId: randomUUID(),
          type: 'NotAnEventWeKnow',
          data: {},
          metadata: {
            commandId: randomUUID(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: { staffId: 'ops', role: 'admin', careerCenterId: 'cc-1' },
            schemaVersion: 1,
          },
        },
      ],
      'any',
    );
    let status = 0;
    for (let attempt = 0; attempt < 400 && status !== 503; attempt++) {
      status = (await request(server).get('/health/ready')).status;
      if (status !== 503) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(503);
    const ready = await request(server).get('/health/ready');
    expect(ready.body).toMatchObject({
      status: 'not-ready',
      checks: { consumers: { status: 'degraded' } },
    });
    expect((await request(server).get('/health/live')).status).toBe(200);
  });
});
