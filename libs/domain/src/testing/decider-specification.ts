import { caseDecider, type CaseDecider } from '../case/case.decide';
import type { CaseCommand } from '../case/case.commands';
import type { CaseEvent } from '../case/case.events';
import type { CaseState } from '../case/case.state';
import type { DecideContext } from '../policy/contact-policy';
import { isBusinessDate, type BusinessDate } from '../shared/business-date';
import { DomainError, type DomainErrorKind, type RuleId } from '../shared/errors';
import { context as defaultContext } from './builders';

/**
 * Given / when / then for the case decider, after oskardudycz's
 * samples/decider: given past events, when a command, then the new events, a
 * refusal or nothing. Runs under jest (it asserts with the global `expect`).
 *
 * The folded state is frozen before `decide` sees it, so a decider that
 * mutates its input fails the spec. Unless the scenario sets `today`, it is the
 * latest date the scenario mentions (data entry on the day it happened).
 */
export class DeciderSpecification {
  private constructor(
    private readonly decider: CaseDecider,
    private readonly defaults: Partial<DecideContext>,
  ) {}

  static for(
    decider: CaseDecider = caseDecider,
    defaults: Partial<DecideContext> = {},
  ): DeciderSpecification {
    return new DeciderSpecification(decider, defaults);
  }

  given(events: readonly CaseEvent[] = []): Given {
    return new Given(this.decider, this.defaults, events);
  }
}

export class Given {
  constructor(
    private readonly decider: CaseDecider,
    private readonly defaults: Partial<DecideContext>,
    private readonly events: readonly CaseEvent[],
  ) {}

  /** The state the given events fold to. */
  state(): CaseState {
    return this.events.reduce(this.decider.evolve, this.decider.initialState());
  }

  when(command: CaseCommand, over: Partial<DecideContext> = {}): When {
    const today = over.today ?? this.defaults.today ?? latestDate([this.events, command]);
    const ctx = defaultContext({
      ...this.defaults,
      ...over,
      ...(today !== undefined && { today }),
    });
    return new When(this.decider, this.state(), command, ctx);
  }
}

export class When {
  constructor(
    private readonly decider: CaseDecider,
    private readonly state: CaseState,
    private readonly command: CaseCommand,
    private readonly context: DecideContext,
  ) {}

  private run(): CaseEvent[] {
    return this.decider.decide(this.command, deepFreeze(structuredClone(this.state)), this.context);
  }

  then(expected: readonly CaseEvent[]): void {
    this.thenFold(expected);
  }

  /** Like `then`, and returns the state after the new events, for assertions on it. */
  thenFold(expected: readonly CaseEvent[]): CaseState {
    const events = this.run();
    expect(events).toEqual(expected);
    return events.reduce(this.decider.evolve, this.state);
  }

  thenNothing(): void {
    expect(this.run()).toEqual([]);
  }

  thenThrows(ruleId: RuleId, kind?: DomainErrorKind): void {
    this.thenError(ruleId, kind);
  }

  /** Like `thenThrows`, and returns the error, for assertions on its message or fields. */
  thenError(ruleId: RuleId, kind?: DomainErrorKind): DomainError {
    let thrown: unknown;
    try {
      this.run();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const error = thrown as DomainError;
    expect({ ruleId: error.ruleId, ...(kind && { kind: error.kind }) }).toEqual({
      ruleId,
      ...(kind && { kind }),
    });
    return error;
  }
}

function latestDate(value: unknown): BusinessDate | undefined {
  let latest: BusinessDate | undefined;
  const visit = (v: unknown): void => {
    if (isBusinessDate(v)) {
      if (latest === undefined || v > latest) latest = v;
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return latest;
}

/** Freezes a value and everything it holds (a mutation then throws in strict mode). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
