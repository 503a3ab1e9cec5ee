import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, caseStreamId, type CaseEvent } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import { EVENT_STORE } from '@caseledger/platform';
import { startApi, tokenFor, type ApiHarness, type Backend } from './api-harness';
import { enrollmentBody, openCaseBody, daysAgo } from './case-requests';

/**
 * Given / when / then over HTTP, in the spirit of emmett's ApiSpecification
 * and of our decider specification (libs/domain/src/testing): given requests
 * (or events appended to the case stream), when one request, then what the
 * answer says and what the log holds afterwards.
 *
 *   scenario('R3: no contact without an active enrollment')
 *     .given(anOpenCase())
 *     .when((s) => s.post(s.casePath('contacts'), contactBody()))
 *     .then(expectProblem('R3', 422), expectNoNewEvents())
 *
 * A scenario is data; `runScenarios` runs a list of them against one real app
 * (real HTTP, real Redis, PostgreSQL or PGlite). Each scenario opens its own
 * case, so scenarios share nothing but the app.
 */

type Body = Record<string, unknown>;
export type Response = request.Response;

export interface Tokens {
  /** Case manager of cc-1 (staff-cm-1). */
  cm: string;
  /** Supervisor of cc-1. */
  sup: string;
  auditor: string;
  admin: string;
  /** Case manager of cc-2, no clearance. */
  otherCm: string;
}

export interface ApiWorld {
  readonly api: ApiHarness;
  readonly tokens: Tokens;
  http(): ReturnType<typeof request>;
  post(path: string, body: unknown, token?: string): request.Test;
  get(path: string, token?: string): request.Test;
  /** The number of events in the case's stream (0 when it does not exist), read as an admin. */
  historyLength(caseId: string): Promise<number>;
  close(): Promise<void>;
}

/** What a scenario knows while it runs. */
export interface Scene extends ApiWorld {
  /** The case the scenario is about; set by `aCase`, `anOpenCase`, `aCaseBody`. */
  caseId: string;
  /** The open-case body of that case. */
  openBody: Body;
  /** The answers to the given requests, in order. */
  readonly answers: Response[];
  /** `/api/v1/cases/<caseId>` and below. */
  casePath(suffix?: string): string;
}

export type GivenStep = (scene: Scene) => Promise<void>;
export type WhenStep = (scene: Scene) => PromiseLike<Response> | Promise<Response[]>;

export interface Outcome {
  readonly scene: Scene;
  /** The answer to the `when` request (the first one, when it sent several). */
  readonly response: Response;
  /** Every answer to the `when` step. */
  readonly responses: readonly Response[];
  /** The case's history length before `when` (for expectations that need it). */
  readonly historyBefore: number;
}

export interface Expectation {
  /** Read the case's history length before `when`. */
  readonly needsHistoryBefore?: boolean;
  check(outcome: Outcome): Promise<void> | void;
}

export interface ApiScenario {
  readonly name: string;
  /** Also run on the other backend (PGlite smoke subset). */
  readonly smoke: boolean;
  run(world: ApiWorld): Promise<void>;
}

// ── the world: one app, five actors ───────────────────────────────────────

export async function startWorld(backend: Backend): Promise<ApiWorld> {
  const api = await startApi(backend);
  const [cm, sup, auditor, admin, otherCm] = await Promise.all([
    tokenFor({ role: 'case_manager', center: 'cc-1', sub: 'staff-cm-1' }),
    tokenFor({ role: 'supervisor', center: 'cc-1', sub: 'staff-sup-1' }),
    tokenFor({ role: 'auditor', center: 'state', sub: 'auditor-1' }),
    tokenFor({ role: 'admin', center: 'hq', sub: 'admin-1' }),
    tokenFor({ role: 'case_manager', center: 'cc-2', sub: 'staff-cm-2' }),
  ]);
  const tokens: Tokens = { cm, sup, auditor, admin, otherCm };
  const http = () => request(api.server);
  const get = (path: string, token = cm) =>
    http().get(path).set('Authorization', `Bearer ${token}`);
  return {
    api,
    tokens,
    http,
    post: (path, body, token = cm) =>
      http()
        .post(path)
        .set('Authorization', `Bearer ${token}`)
        .send(body as object),
    get,
    async historyLength(caseId) {
      const res = await get(`/api/v1/cases/${caseId}/history`, admin);
      if (res.status === 404) return 0;
      expect(res.status).toBe(200);
      return (res.body as { events: unknown[] }).events.length;
    },
    close: () => api.close(),
  };
}

/** Registers one app for the enclosing describe and runs each scenario as its own test. */
export function runScenarios(
  title: string,
  backend: Backend,
  scenarios: readonly ApiScenario[],
): void {
  describe(`${title} on ${backend}`, () => {
    let world: ApiWorld | undefined;
    // Generous: a cold PGlite start on a loaded machine takes tens of seconds.
    beforeAll(async () => {
      world = await startWorld(backend);
    }, 180_000);
    afterAll(async () => {
      await world?.close();
    });
    for (const s of scenarios) it(s.name, () => s.run(world!));
  });
}

export interface UseCase {
  readonly title: string;
  readonly scenarios: readonly ApiScenario[];
}

/**
 * One use case's scenarios. They run in full on PostgreSQL when `file` is the
 * spec file jest is running; another spec (the PGlite smoke run) may import the
 * list without running it, and picks the scenarios marked `smoke()`.
 */
export function useCase(file: string, title: string, scenarios: readonly ApiScenario[]): UseCase {
  if (expect.getState().testPath === file) runScenarios(title, 'postgres', scenarios);
  return { title, scenarios };
}

// ── scenarios ─────────────────────────────────────────────────────────────

export function scenario(name: string): ScenarioBuilder {
  return new ScenarioBuilder(name, [], false);
}

export class ScenarioBuilder {
  constructor(
    private readonly name: string,
    private readonly steps: readonly GivenStep[],
    private readonly isSmoke: boolean,
  ) {}

  /** Also part of the smoke subset run on the other backend. */
  smoke(): ScenarioBuilder {
    return new ScenarioBuilder(this.name, this.steps, true);
  }

  given(...steps: GivenStep[]): ScenarioBuilder {
    return new ScenarioBuilder(this.name, [...this.steps, ...steps], this.isSmoke);
  }

  when(step: WhenStep): WhenBuilder {
    return new WhenBuilder(this.name, this.steps, step, this.isSmoke);
  }
}

export class WhenBuilder {
  constructor(
    private readonly name: string,
    private readonly steps: readonly GivenStep[],
    private readonly step: WhenStep,
    private readonly isSmoke: boolean,
  ) {}

  then(...expectations: Expectation[]): ApiScenario {
    if (expectations.length === 0) throw new Error(`scenario "${this.name}" expects nothing`);
    const { steps, step } = this;
    return {
      name: this.name,
      smoke: this.isSmoke,
      async run(world) {
        const scene = newScene(world);
        for (const given of steps) await given(scene);
        const historyBefore = expectations.some((e) => e.needsHistoryBefore)
          ? await world.historyLength(requireCase(scene))
          : 0;
        const sent = await step(scene);
        const responses = Array.isArray(sent) ? sent : [sent];
        const outcome: Outcome = { scene, response: responses[0], responses, historyBefore };
        for (const expectation of expectations) await expectation.check(outcome);
      },
    };
  }
}

function newScene(world: ApiWorld): Scene {
  const scene: Scene = {
    ...world,
    caseId: '',
    openBody: {},
    answers: [],
    casePath: (suffix) => `/api/v1/cases/${requireCase(scene)}${suffix ? `/${suffix}` : ''}`,
  };
  return scene;
}

function requireCase(scene: Scene): string {
  if (!scene.caseId)
    throw new Error('the scenario names no case (given aCase(), anOpenCase() or aCaseBody())');
  return scene.caseId;
}

// ── given ─────────────────────────────────────────────────────────────────

/** The body of a case not opened yet (the case the `when` request opens). */
export const aCaseBody =
  (overrides: Body = {}): GivenStep =>
  (scene) => {
    scene.openBody = openCaseBody(overrides);
    scene.caseId = scene.openBody.caseId as string;
    return Promise.resolve();
  };

/** An open case, no enrollment. */
export const anOpenCase =
  (overrides: Body = {}): GivenStep =>
  async (scene) => {
    await aCaseBody(overrides)(scene);
    await sent(scene, scene.post('/api/v1/cases', scene.openBody), 201);
  };

/** An open case with an active job-search enrollment since it opened (R3 satisfied). */
export const aCase =
  (overrides: Body = {}): GivenStep =>
  async (scene) => {
    await anOpenCase(overrides)(scene);
    await sent(
      scene,
      scene.post(
        scene.casePath('enrollments'),
        enrollmentBody({ startDate: overrides.openedOn ?? daysAgo(30) }),
      ),
      201,
    );
  };

/** Any request that must succeed (2xx), or answer `status`. */
export const aRequest =
  (send: (scene: Scene) => request.Test, status?: number): GivenStep =>
  async (scene) => {
    await sent(scene, send(scene), status);
  };

/**
 * Events appended straight to the case's stream, as another process (a
 * migration, an older version) would have left them; the app reads them as
 * it reads its own.
 */
export const eventsInStream =
  (events: (scene: Scene) => readonly CaseEvent[]): GivenStep =>
  async (scene) => {
    const store = scene.api.app.get<EventStore>(EVENT_STORE);
    const streamId = caseStreamId(requireCase(scene));
    const existing = await store.readStream(streamId);
    const commandId = randomUUID();
    await store.append(
      streamId,
      events(scene).map((event) => ({
        eventId: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          commandId,
          correlationId: commandId,
          causationId: commandId,
          actor: { staffId: 'staff-cm-1', role: 'case_manager', careerCenterId: 'cc-1' },
          schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
        },
      })),
      existing.length === 0 ? 'no-stream' : existing.length - 1,
    );
  };

async function sent(scene: Scene, req: PromiseLike<Response>, status?: number): Promise<void> {
  const res = await req;
  if (status === undefined) expect(res.status).toBeLessThan(300);
  else expect(res.status).toBe(status);
  scene.answers.push(res);
}

// ── then ──────────────────────────────────────────────────────────────────

type Expected<T> = T | ((scene: Scene) => T);
const resolve = <T>(value: Expected<T>, scene: Scene): T =>
  typeof value === 'function' ? (value as (s: Scene) => T)(scene) : value;

/**
 * The status, and optionally the exact body (`body`), a partial body
 * (`matches`) and headers (a string, or a RegExp the header must match).
 */
export function expectResponse(
  status: number,
  options: {
    body?: Expected<object>;
    matches?: Expected<object>;
    headers?: Expected<Record<string, string | RegExp>>;
  } = {},
): Expectation {
  return {
    check({ scene, response }) {
      expect(response.status).toBe(status);
      if (options.body !== undefined) expect(response.body).toEqual(resolve(options.body, scene));
      if (options.matches !== undefined)
        expect(response.body).toMatchObject(resolve(options.matches, scene));
      for (const [name, value] of Object.entries(resolve(options.headers ?? {}, scene))) {
        if (value instanceof RegExp) expect(response.headers[name]).toMatch(value);
        else expect(response.headers[name]).toBe(value);
      }
    },
  };
}

/**
 * A problem+json document (RFC 9457) whose `type` names the rule or problem id
 * and whose `status` is the HTTP status; `more` checks the rest of it.
 */
export function expectProblem(
  type: string,
  status: number,
  more?: (body: Body, response: Response) => void,
): Expectation {
  return {
    check({ response }) {
      expect({ status: response.status, type: (response.body as Body).type }).toEqual({
        status,
        type: `https://caseledger.dev/problems/${type}`,
      });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect((response.body as Body).status).toBe(status);
      more?.(response.body as Body, response);
    },
  };
}

/** A refused command appends nothing: the case's history did not grow. */
export function expectNoNewEvents(): Expectation {
  return {
    needsHistoryBefore: true,
    async check({ scene, historyBefore }) {
      expect(await scene.historyLength(requireCase(scene))).toBe(historyBefore);
    },
  };
}

/** The case's history holds exactly `count` events afterwards. */
export function expectEventCount(count: number): Expectation {
  return {
    async check({ scene }) {
      expect(await scene.historyLength(requireCase(scene))).toBe(count);
    },
  };
}

/** The case as GET answers it afterwards (a partial match), read by `token` (the case manager). */
export function expectCase(
  expected: Expected<object>,
  token?: (tokens: Tokens) => string,
): Expectation {
  return {
    async check({ scene }) {
      const res = await scene.get(scene.casePath(), token?.(scene.tokens));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(resolve(expected, scene));
    },
  };
}

/** Anything else the scenario must prove afterwards. */
export function expectThat(check: (outcome: Outcome) => Promise<void> | void): Expectation {
  return { check };
}
