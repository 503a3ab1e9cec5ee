import request from 'supertest';
import { startAllInOne, tokenFor, type ApiHarness } from './support/api-harness';
import { daysAgo, openCaseBody } from './support/case-requests';

type Server = Parameters<typeof request>[0];

/**
 * The deadlines as a user sees them: the all-in-one app (`npm start`: the API with the
 * worker side in the same process) soft-exits a case whose 90 days have run out,
 * on its own, dated at the case's opening (R8, R17).
 */
describe('deadlines end to end (all-in-one app)', () => {
  let harness: ApiHarness | undefined;
  let server: Server;
  let cm: string;
  let admin: string;

  beforeAll(async () => {
    harness = await startAllInOne('deadlines');
    server = harness.server;
    [cm, admin] = await Promise.all([
      tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
      tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
    ]);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('R8/R17: a case opened 100 days ago with no contact is soft-exited by the running app, dated at its opening', async () => {
    const openedOn = daysAgo(100);
    const body = openCaseBody({ openedOn });
    const opened = await request(server)
      .post('/api/v1/cases')
      .set('Authorization', `Bearer ${cm}`)
      .send(body)
      .expect(201);
    const caseId = (opened.body as { caseId: string }).caseId;

    let state: { status: string; exitDate: string | null } | undefined;
    for (;;) {
      const res = await request(server)
        .get(`/api/v1/cases/${caseId}`)
        .set('Authorization', `Bearer ${cm}`)
        .expect(200);
      state = res.body as { status: string; exitDate: string | null };
      if (state.status === 'SOFT_EXITED') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(state.exitDate).toBe(openedOn);

    const history = await request(server)
      .get(`/api/v1/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${cm}`)
      .expect(200);
    const events = (
      history.body as { events: Array<{ type: string; metadata: { actor: { staffId: string } } }> }
    ).events;
    const exits = events.filter((e) => e.type === 'CaseSoftExited');
    expect(exits).toHaveLength(1);
    expect(exits[0].metadata.actor.staffId).toBe('system');
  });

  it('/health reports the deadline queues, including failed jobs', async () => {
    const res = await request(server).get('/health').expect(200);
    const deadlines = (
      res.body as {
        checks: { deadlines: { status: string; queues: Record<string, { failed: number }> } };
      }
    ).checks.deadlines;
    expect(deadlines.status).toBe('up');
    expect(deadlines.queues.deadlines.failed).toBe(0);
    const metrics = await request(server).get('/metrics').expect(200);
    expect(metrics.text).toContain('caseledger_queue_jobs{queue="deadlines",state="failed"} 0');
    expect(metrics.text).toContain(
      'caseledger_deadline_lateness_seconds_count{kind="soft-exit"} 1',
    );
  });

  it('Bull Board at /admin/queues is for admins only', async () => {
    await request(server).get('/admin/queues').expect(401);
    await request(server).get('/admin/queues').set('Authorization', `Bearer ${cm}`).expect(403);
    await request(server)
      .get('/admin/queues')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
    const page = await request(server)
      .get('/admin/queues')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    expect(page.text).toContain('<html');
    const queues = await request(server)
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${admin}`)
      .expect(200);
    const names = (queues.body as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['deadlines', 'deadline-sweep']));
  });
});
