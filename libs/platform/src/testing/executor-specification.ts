import { randomUUID } from 'node:crypto';
import { caseStreamId, type Actor, type CaseCommand } from '@caseledger/domain';
import { caseManager } from '@caseledger/domain/testing';
import type { EventStore, RecordedEvent } from '@caseledger/event-store';
import type { Clock } from '../clock/clock';
import type { PolicyLookup } from '../executor/domain-bridge';
import {
  CaseCommandExecutor,
  type ExecuteResult,
  type ExecutorOptions,
} from '../executor/case-command-executor';

/**
 * Given / when / then for the command executor against a real store, in the
 * shape of the decider specification (libs/domain/src/testing) and the HTTP one
 * (test/e2e/support/api-specification.ts): given commands run by named
 * executors (each with its own fold cache), when one or more commands, then
 * what each command answered and what the stream holds afterwards.
 *
 *   executorSpec(store, setup)
 *     .given(run('a', openCase()), run('b', recordContact({ id: 'c-b' })))
 *     .when(run('a', recordContact({ id: 'c-b' })))
 *     .then(expectRefused('DUPLICATE_ID'), expectNoNewEvents())
 *
 * Every scenario is about one fresh case and builds its executors afresh, so
 * scenarios share nothing but the store. `then` resolves to the scene after
 * the step, which takes further `given` / `when` steps (for a case whose
 * story has several checkpoints).
 */

export interface ExecutorSetup {
  readonly policyOf: PolicyLookup;
  readonly clock: Clock;
  readonly actor?: Actor;
  /** Options per executor name; a name not listed gets the defaults. */
  readonly executors?: Readonly<Record<string, ExecutorOptions>>;
}

/** What one command answered: its result, or what it threw. */
export type Verdict =
  | { readonly ok: true; readonly result: ExecuteResult }
  | { readonly ok: false; readonly error: unknown };

/** A scenario's world while it runs. */
export interface ExecutorScene {
  readonly caseId: string;
  readonly store: EventStore;
  readonly actor: Actor;
  /** The executor of that name (made on first use). */
  executor(name: string): CaseCommandExecutor;
  /** How often the executor of that name has read a stream so far. */
  reads(name: string): number;
  /** How many events the executor `name`'s latest `readStream` returned. */
  lastReadLength(name: string): number | undefined;
  /** Results of given commands that were given a label (`run(…, { as })`). */
  readonly labelled: Map<string, ExecuteResult>;
  stream(): Promise<RecordedEvent[]>;
}

/** One command, or several at once: yields one verdict per command. */
export type CommandStep = (scene: ExecutorScene) => Promise<Verdict[]>;

export interface RunOptions {
  readonly commandId?: string;
  readonly expectedRevision?: number;
  /** Keep a given command's result under this label (see `expectRepeatOf`). */
  readonly as?: string;
}

export interface ExecutorOutcome {
  readonly scene: ExecutorScene;
  /** One per command of the `when` step, in order. */
  readonly verdicts: readonly Verdict[];
  /** The stream before the `when` step. */
  readonly before: readonly RecordedEvent[];
  /** The stream after it. */
  readonly after: readonly RecordedEvent[];
}

export type ExecutorExpectation = (outcome: ExecutorOutcome) => Promise<void> | void;

// ── steps ─────────────────────────────────────────────────────────────────

/** A command, or a command made for the scenario's case id (an `openCase`). */
export type CommandOf = CaseCommand | ((caseId: string) => CaseCommand);

/** The executor named `by` runs the commands one after the other. */
export function run(by: string, ...commands: (CommandOf | [CommandOf, RunOptions])[]): CommandStep {
  return async (scene) => {
    const verdicts: Verdict[] = [];
    for (const entry of commands) {
      const [command, options] = Array.isArray(entry) ? entry : [entry, {}];
      verdicts.push(await verdictOf(scene, by, command, options));
    }
    return verdicts;
  };
}

/** Each `[executor, command]` pair at once (verdicts in the pairs' order). */
export function concurrently(...pairs: [string, CommandOf][]): CommandStep {
  return (scene) => Promise.all(pairs.map(([by, command]) => verdictOf(scene, by, command, {})));
}

async function verdictOf(
  scene: ExecutorScene,
  by: string,
  command: CommandOf,
  { commandId = randomUUID(), expectedRevision, as }: RunOptions,
): Promise<Verdict> {
  try {
    const result = await scene.executor(by).execute({
      caseId: scene.caseId,
      command: typeof command === 'function' ? command(scene.caseId) : command,
      actor: scene.actor,
      commandId,
      correlationId: commandId,
      ...(expectedRevision !== undefined ? { expectedRevision } : {}),
    });
    if (as !== undefined) scene.labelled.set(as, result);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error };
  }
}

// ── the specification ─────────────────────────────────────────────────────

class Scene implements ExecutorScene {
  readonly caseId = randomUUID();
  readonly labelled = new Map<string, ExecuteResult>();
  private readonly executors = new Map<string, CaseCommandExecutor>();
  private readonly readCounts = new Map<string, number>();
  private readonly lastReads = new Map<string, number>();

  constructor(
    readonly store: EventStore,
    private readonly setup: ExecutorSetup,
    readonly actor: Actor,
  ) {}

  executor(name: string): CaseCommandExecutor {
    let executor = this.executors.get(name);
    if (!executor) {
      executor = new CaseCommandExecutor(
        this.countingReads(name),
        this.setup.policyOf,
        this.setup.clock,
        undefined,
        this.setup.executors?.[name] ?? {},
      );
      this.executors.set(name, executor);
    }
    return executor;
  }

  reads(name: string): number {
    return this.readCounts.get(name) ?? 0;
  }

  lastReadLength(name: string): number | undefined {
    return this.lastReads.get(name);
  }

  stream(): Promise<RecordedEvent[]> {
    return this.store.readStream(caseStreamId(this.caseId));
  }

  /** The store as the executor `name` sees it, counting its `readStream` calls. */
  private countingReads(name: string): EventStore {
    const counts = this.readCounts;
    const lastReads = this.lastReads;
    return new Proxy(this.store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key === 'readStream' && typeof value === 'function')
          return async (...args: unknown[]) => {
            counts.set(name, (counts.get(name) ?? 0) + 1);
            const readStream = value as (...a: unknown[]) => Promise<RecordedEvent[]>;
            const read = await readStream.apply(target, args);
            lastReads.set(name, read.length);
            return read;
          };
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }
}

export class ExecutorSpecification {
  constructor(
    private readonly store: () => EventStore,
    private readonly setup: ExecutorSetup,
  ) {}

  given(...steps: CommandStep[]): ExecutorGiven {
    return new ExecutorGiven(
      new Scene(this.store(), this.setup, this.setup.actor ?? caseManager()),
      steps,
    );
  }
}

/** `store` may be a function, for a store made in `beforeAll`. */
export function executorSpec(
  store: EventStore | (() => EventStore),
  setup: ExecutorSetup,
): ExecutorSpecification {
  return new ExecutorSpecification(typeof store === 'function' ? store : () => store, setup);
}

export class ExecutorGiven {
  constructor(
    private readonly scene: Scene,
    private readonly steps: readonly CommandStep[],
  ) {}

  given(...steps: CommandStep[]): ExecutorGiven {
    return new ExecutorGiven(this.scene, [...this.steps, ...steps]);
  }

  when(...steps: CommandStep[]): ExecutorWhen {
    return new ExecutorWhen(this.scene, this.steps, steps);
  }
}

export class ExecutorWhen {
  constructor(
    private readonly scene: Scene,
    private readonly givenSteps: readonly CommandStep[],
    private readonly whenSteps: readonly CommandStep[],
  ) {}

  /** Runs the scenario; resolves to the scene after it, for a next checkpoint. */
  async then(...expectations: ExecutorExpectation[]): Promise<ExecutorGiven> {
    if (expectations.length === 0) throw new Error('an executor scenario expects nothing');
    for (const step of this.givenSteps) {
      for (const v of await step(this.scene)) if (!v.ok) throw v.error;
    }
    const before = await this.scene.stream();
    const verdicts: Verdict[] = [];
    for (const step of this.whenSteps) verdicts.push(...(await step(this.scene)));
    const outcome = { scene: this.scene, verdicts, before, after: await this.scene.stream() };
    for (const expectation of expectations) await expectation(outcome);
    return new ExecutorGiven(this.scene, []);
  }
}

// ── expectations ──────────────────────────────────────────────────────────

/** The result of the `at`-th command of the `when` step (it must not have thrown). */
export function resultOf(outcome: ExecutorOutcome, at = 0): ExecuteResult {
  const verdict = outcome.verdicts[at];
  if (!verdict) throw new Error(`the when step ran no command #${at}`);
  if (!verdict.ok) throw verdict.error;
  return verdict.result;
}

function errorOf(outcome: ExecutorOutcome, at: number): unknown {
  const verdict = outcome.verdicts[at];
  expect(verdict).toBeDefined();
  expect(verdict?.ok).toBe(false);
  return verdict && !verdict.ok ? verdict.error : undefined;
}

/** Custom checks on a command's result. */
export function expectResult(
  check: (result: ExecuteResult, outcome: ExecutorOutcome) => void,
  at = 0,
): ExecutorExpectation {
  return (outcome) => check(resultOf(outcome, at), outcome);
}

/** The command answered at this stream revision. */
export function expectRevision(revision: number, at = 0): ExecutorExpectation {
  return expectResult((r) => expect(r.revision).toBe(revision), at);
}

/** The case the command left holds these contacts (ids in order, or how many). */
export function expectContacts(contacts: readonly string[] | number, at = 0): ExecutorExpectation {
  return expectResult((r) => {
    if (typeof contacts === 'number') expect(r.state.contacts).toHaveLength(contacts);
    else expect(r.state.contacts.map((c) => c.contactId)).toEqual(contacts);
  }, at);
}

/** The command was refused under this rule id. */
export function expectRefused(ruleId: string, at = 0): ExecutorExpectation {
  return (outcome) => expect(errorOf(outcome, at)).toMatchObject({ ruleId });
}

/** The command threw an error of this class. */
export function expectThrown(
  type: abstract new (...args: never[]) => Error,
  at = 0,
): ExecutorExpectation {
  return (outcome) => expect(errorOf(outcome, at)).toBeInstanceOf(type);
}

/** The command was a repeat of the labelled given command: same revision and events. */
export function expectRepeatOf(label: string, at = 0): ExecutorExpectation {
  return (outcome) => {
    const first = outcome.scene.labelled.get(label);
    expect(first).toBeDefined();
    const again = resultOf(outcome, at);
    expect(again.repeated).toBe(true);
    expect(again.revision).toBe(first?.revision);
    expect(again.events).toEqual(first?.events);
  };
}

/** The `when` step appended events of exactly these types, in order. */
export function expectAppended(...types: string[]): ExecutorExpectation {
  return ({ before, after }) =>
    expect(after.slice(before.length).map((e) => e.type)).toEqual(types);
}

/** The `when` step appended nothing. */
export function expectNoNewEvents(): ExecutorExpectation {
  return ({ before, after }) => expect(after).toHaveLength(before.length);
}

/** The stream holds this many events after the `when` step. */
export function expectStreamLength(length: number): ExecutorExpectation {
  return ({ after }) => expect(after).toHaveLength(length);
}

/** The stream holds this many events of this type. */
export function expectEventCount(type: string, count: number): ExecutorExpectation {
  return ({ after }) => expect(after.filter((e) => e.type === type)).toHaveLength(count);
}

/** The stream is one unbroken chain: revisions 0, 1, 2, … and the hash chain verifies. */
export function expectOneChain(): ExecutorExpectation {
  return async ({ scene, after }) => {
    expect(after.map((e) => e.revision)).toEqual(after.map((_, i) => i));
    expect(await scene.store.verify(caseStreamId(scene.caseId))).toMatchObject({ valid: true });
  };
}

/** The executor of that name has read a stream this many times so far. */
export function expectReads(name: string, reads: number): ExecutorExpectation {
  return ({ scene }) => expect(scene.reads(name)).toBe(reads);
}

/** The executor `name`'s latest read returned this many events. */
export function expectLastReadLength(name: string, events: number): ExecutorExpectation {
  return ({ scene }) => expect(scene.lastReadLength(name)).toBe(events);
}
