import request from 'supertest';
import { FixedClock } from '@caseledger/platform';
import { startApi, tokenFor, type ApiHarness } from './support/api-harness';

interface Operation {
  operationId: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string; example?: string }>;
  requestBody?: { content: Record<string, { example?: Record<string, unknown> }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

type Who = 'cm' | 'cm2' | 'sup';

/**
 * The order a case lives its examples in (the dates the examples carry), and
 * who sends each: R16 maker-checker (a case manager suspends, a supervisor
 * approves), R21 (a supervisor reverses a soft exit). `voidContact` on
 * 2026-04-24 voids the only qualifying contact (2026-01-20): the R8 deadline
 * from the opening (plus the R10 gap days) lies behind, the one from the
 * contact not yet, so the case soft-exits (R22)
 * and `reverseSoftExit` has an exit to reverse.
 */
const STORY: Array<{ op: string; on: string; as: Who; status?: number }> = [
  { op: 'openCase', on: '2026-01-05', as: 'cm' },
  { op: 'enrollInActivity', on: '2026-01-05', as: 'cm' },
  { op: 'identifyBarrier', on: '2026-01-06', as: 'cm' },
  { op: 'recordAssessment', on: '2026-01-06', as: 'cm' },
  { op: 'setGoal', on: '2026-01-06', as: 'cm' },
  { op: 'recordContact', on: '2026-01-20', as: 'cm' },
  { op: 'overcomeBarrier', on: '2026-01-20', as: 'cm' },
  { op: 'schedulePlannedGap', on: '2026-01-20', as: 'cm' },
  { op: 'endPlannedGap', on: '2026-02-13', as: 'cm' },
  { op: 'correctEntry', on: '2026-02-13', as: 'cm' },
  { op: 'correctCustomerDetails', on: '2026-02-13', as: 'cm' },
  { op: 'resolveGoal', on: '2026-02-13', as: 'cm' },
  { op: 'transferCase', on: '2026-02-13', as: 'sup' },
  { op: 'voidContact', on: '2026-04-24', as: 'sup' },
  { op: 'reverseSoftExit', on: '2026-04-24', as: 'sup' },
  { op: 'endEnrollment', on: '2026-04-24', as: 'cm2' },
  { op: 'recordEmployment', on: '2026-04-24', as: 'cm2' },
  { op: 'suspendCase', on: '2026-04-24', as: 'cm2' },
  { op: 'returnSuspension', on: '2026-04-27', as: 'sup' },
  { op: 'suspendCase', on: '2026-04-28', as: 'cm2' },
  { op: 'approveSuspension', on: '2026-04-29', as: 'sup' },
];

/** Examples are documentation a client copies: each case command's example is accepted as written. */
describe('OpenAPI request examples', () => {
  let api: ApiHarness;
  const clock = new FixedClock(new Date('2026-01-05T15:00:00Z'));
  const tokens = {} as Record<Who, string>;
  let document: Document;
  const commands = new Map<string, { method: string; path: string; op: Operation }>();

  beforeAll(async () => {
    api = await startApi('pglite', { clock });
    tokens.cm = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' });
    tokens.cm2 = await tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-2' });
    tokens.sup = await tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' });
    document = (await request(api.server).get('/openapi.json')).body as Document;
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(item))
        if (op.tags?.includes('case commands')) commands.set(op.operationId, { method, path, op });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('every case command has a JSON request example, and path ids have examples', () => {
    expect(commands.size).toBeGreaterThanOrEqual(20);
    const missing = [...commands.values()]
      .filter(
        ({ op }) =>
          !op.requestBody?.content['application/json']?.example ||
          (op.parameters ?? []).some((p) => p.in === 'path' && !p.example),
      )
      .map(({ op }) => op.operationId);
    expect(missing).toEqual([]);
    // The story below posts every one of them.
    expect([...commands.keys()].sort()).toEqual([...new Set(STORY.map((s) => s.op))].sort());
  });

  it('posts each example, in the order a case lives them, and each is accepted (2xx)', async () => {
    let caseId = '';
    const verdicts: Array<{ op: string; status: number; problem?: unknown }> = [];
    for (const step of STORY) {
      const command = commands.get(step.op);
      if (!command) throw new Error(`${step.op} is not a documented case command`);
      clock.set(new Date(`${step.on}T15:00:00Z`));
      const body = command.op.requestBody?.content['application/json']?.example ?? {};
      let url = command.path;
      for (const p of command.op.parameters ?? [])
        if (p.in === 'path')
          url = url.replace(`{${p.name}}`, p.name === 'caseId' ? caseId : String(p.example));
      const res = await request(api.server)
        .post(url)
        .set('Authorization', `Bearer ${tokens[step.as]}`)
        .send(body);
      if (step.op === 'openCase') caseId = (res.body as { caseId: string }).caseId;
      verdicts.push({
        op: step.op,
        status: res.status,
        ...(res.status >= 300 ? { problem: res.body as unknown } : {}),
      });
    }
    expect(verdicts.filter((v) => v.status < 200 || v.status >= 300)).toEqual([]);
    const state = await request(api.server)
      .get(`/api/v1/cases/${caseId}`)
      .set('Authorization', `Bearer ${tokens.sup}`);
    expect(state.body).toMatchObject({ status: 'CLOSED', closureReason: 'CUSTOMER_WITHDREW' });
    const history = await request(api.server)
      .get(`/api/v1/cases/${caseId}/history`)
      .set('Authorization', `Bearer ${tokens.sup}`);
    const events = (history.body as { events: Array<{ type: string; data: object }> }).events;
    const types = events.map((e) => e.type);
    // Each event carries the fields its documented data schema requires.
    const schemas = (
      document as unknown as { components: { schemas: Record<string, { required?: string[] }> } }
    ).components.schemas;
    const missing = events.flatMap((e) =>
      (schemas[`${e.type}Data`]?.required ?? ['(no schema)'])
        .filter((field) => !(field in e.data))
        .map((field) => `${e.type}.${field}`),
    );
    expect(missing).toEqual([]);
    expect(types).toEqual(
      expect.arrayContaining(['ContactVoided', 'CaseSoftExited', 'SoftExitReversed', 'CaseClosed']),
    );
  });
});
