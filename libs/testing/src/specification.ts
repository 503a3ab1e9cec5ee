/**
 * The given / when / then core of the integration specifications (caseload,
 * deadlines), in the shape of the decider specification (libs/domain/src/testing)
 * and the HTTP one (test/e2e/support/api-specification.ts): given steps build
 * the world, when steps act on it, then expectations judge what the when steps
 * produced and what the world holds afterwards.
 *
 * A step is a function of the world; `as(label, step)` keeps what it returned,
 * for expectations that name it (`outcome.result(label)`). `then` resolves to
 * the world after the step, which takes further `given` / `when` steps, for a
 * story with several checkpoints.
 */

export type Step<W> = (world: W) => unknown;

export interface Outcome<W, B> {
  readonly world: W;
  /** What `observe` saw just before the when steps. */
  readonly before: B;
  /** What the step labelled `label` returned (it must have run). */
  result<T = unknown>(label: string): T;
}

export type Expectation<W, B> = (outcome: Outcome<W, B>) => Promise<void> | void;

const labelled = new WeakMap<object, Map<string, unknown>>();

function resultsOf(world: object): Map<string, unknown> {
  let results = labelled.get(world);
  if (!results) labelled.set(world, (results = new Map<string, unknown>()));
  return results;
}

/** What the step labelled `label` returned in this world (for a later step that needs it). */
export function resultOf<T = unknown>(world: object, label: string): T {
  const results = resultsOf(world);
  if (!results.has(label)) throw new Error(`no step labelled "${label}" ran`);
  return results.get(label) as T;
}

/** The step, keeping what it returns under `label`. */
export function as<W extends object>(label: string, step: Step<W>): Step<W> {
  return async (world) => {
    const value = await step(world);
    resultsOf(world).set(label, value);
    return value;
  };
}

/** A specification over worlds made by `make`; `observe` runs before each when step. */
export function specification<W extends object, B = undefined>(
  make: () => W | Promise<W>,
  observe: (world: W) => B | Promise<B> = () => undefined as B,
): SpecGiven<W, B> {
  return new SpecGiven<W, B>(async () => make(), observe, []);
}

export class SpecGiven<W extends object, B> {
  constructor(
    private readonly world: () => Promise<W>,
    private readonly observe: (world: W) => B | Promise<B>,
    private readonly steps: readonly Step<W>[],
  ) {}

  given(...steps: Step<W>[]): SpecGiven<W, B> {
    return new SpecGiven(this.world, this.observe, [...this.steps, ...steps]);
  }

  when(...steps: Step<W>[]): SpecWhen<W, B> {
    return new SpecWhen(this.world, this.observe, this.steps, steps);
  }
}

export class SpecWhen<W extends object, B> {
  constructor(
    private readonly world: () => Promise<W>,
    private readonly observe: (world: W) => B | Promise<B>,
    private readonly givenSteps: readonly Step<W>[],
    private readonly whenSteps: readonly Step<W>[],
  ) {}

  /** Runs the steps and judges them; resolves to the world after, for a next checkpoint. */
  async then(...expectations: Expectation<W, B>[]): Promise<SpecGiven<W, B>> {
    if (expectations.length === 0) throw new Error('a scenario that expects nothing');
    const world = (await this.world()) as W;
    for (const step of this.givenSteps) await step(world);
    const before = await this.observe(world);
    for (const step of this.whenSteps) await step(world);
    const outcome: Outcome<W, B> = {
      world,
      before,
      result: <T>(label: string): T => resultOf<T>(world, label),
    };
    for (const expectation of expectations) await expectation(outcome);
    return new SpecGiven<W, B>(() => Promise.resolve(world), this.observe, []);
  }
}

/** Checks on the labelled step's result. */
export function expectResult<T, W = unknown, B = unknown>(
  label: string,
  check: (result: T, outcome: Outcome<W, B>) => Promise<void> | void,
): Expectation<W, B> {
  return (outcome) => check(outcome.result<T>(label), outcome);
}

/** Custom checks on the world after the when steps. */
export function expectThat<W, B = unknown>(
  check: (world: W, outcome: Outcome<W, B>) => Promise<void> | void,
): Expectation<W, B> {
  return (outcome) => check(outcome.world, outcome);
}
