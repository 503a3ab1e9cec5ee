import {
  requireCase,
  type Expectation,
  type Outcome,
  type Response,
  type Scene,
  type Tokens,
} from './api-specification';

/**
 * The expectations of the HTTP specification (api-specification.ts), imported
 * as one namespace: `.then(then.problem('R8', 422), then.noNewEvents())`.
 */

type Body = Record<string, unknown>;

type Expected<T> = T | ((scene: Scene) => T);
const resolve = <T>(value: Expected<T>, scene: Scene): T =>
  typeof value === 'function' ? (value as (s: Scene) => T)(scene) : value;

/**
 * The status, and optionally the exact body (`body`), a partial body
 * (`matches`) and headers (a string, or a RegExp the header must match).
 */
export function response(
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
export function problem(
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
export function noNewEvents(): Expectation {
  return {
    needsHistoryBefore: true,
    async check({ scene, historyBefore }) {
      expect(await scene.historyLength(requireCase(scene))).toBe(historyBefore);
    },
  };
}

/** The case's history holds exactly `count` events afterwards. */
export function eventCount(count: number): Expectation {
  return {
    async check({ scene }) {
      expect(await scene.historyLength(requireCase(scene))).toBe(count);
    },
  };
}

/** The case as GET answers it afterwards (a partial match), read by `token` (the case manager). */
export function caseMatches(
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
export function that(check: (outcome: Outcome) => Promise<void> | void): Expectation {
  return { check };
}
