import request from 'supertest';
import { startApi, tokenFor, type ApiHarness, type Backend } from './api-harness';

/**
 * Given / when / then over HTTP, in the spirit of emmett's ApiSpecification
 * and of our decider specification (libs/domain/src/testing): given requests
 * (or events appended to the case stream), when one request, then what the
 * answer says and what the log holds afterwards.
 *
 *   import * as given from '../support/api-given';
 *   import * as then from '../support/api-then';
 *
 *   scenario('R3: no contact without an active enrollment')
 *     .given(given.anOpenCase())
 *     .when((s) => s.post(s.casePath('contacts'), contactBody()))
 *     .then(then.problem('R3', 422), then.noNewEvents())
 *
 * Given steps live in api-given.ts, expectations in api-then.ts. A scenario is
 * data; `runUseCases` runs lists of them against one real app (real HTTP,
 * real Redis, PostgreSQL or PGlite). Each scenario opens its own case (and
 * customer), so scenarios share nothing but the app: every use case runs on
 * one app (test/e2e/cases/use-cases.e2e-spec.ts), and each refusal still
 * proves, for its own case, that nothing was appended.
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
  /** The case the scenario is about; set by `given.aCase`, `given.anOpenCase`, `given.aCaseBody`. */
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

export interface UseCase {
  readonly title: string;
  readonly scenarios: readonly ApiScenario[];
}

/**
 * One use case's scenarios (a `test/e2e/cases/<use-case>.cases.ts` file). The
 * e2e entries run them: all of them on PostgreSQL, the ones marked `smoke()`
 * on PGlite.
 */
export function useCase(title: string, scenarios: readonly ApiScenario[]): UseCase {
  return { title, scenarios };
}

/** Registers one app for the enclosing describe and runs every use case's scenarios on it, a describe each. */
export function runUseCases(
  title: string,
  backend: Backend,
  useCases: readonly UseCase[],
  pick: (scenario: ApiScenario) => boolean = () => true,
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
    for (const u of useCases)
      describe(u.title, () => {
        for (const s of u.scenarios.filter(pick)) it(s.name, () => s.run(world!));
      });
  });
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

export function requireCase(scene: Scene): string {
  if (!scene.caseId)
    throw new Error(
      'the scenario names no case (given.aCase(), given.anOpenCase() or given.aCaseBody())',
    );
  return scene.caseId;
}
