import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { validationProblem, type FieldError } from '../problems/problem-details';
import { EDGE_NOW } from './business-date.validator';

const RULE_OF = Symbol('caseledger:rule-of');

/**
 * Names the domain rule a field's value states (R1: the program group; R2:
 * the career center, local area and case manager): an invalid value is then
 * refused under that rule's id rather than the generic `validation`.
 */
export function RuleOf(ruleId: string): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const owner = target as { [RULE_OF]?: Record<string | symbol, string> };
    owner[RULE_OF] = { ...owner[RULE_OF], [property]: ruleId };
  };
}

const ruleOf = (owner: unknown, property: string): string | undefined =>
  typeof owner === 'object' && owner !== null
    ? (owner as { [RULE_OF]?: Record<string, string> })[RULE_OF]?.[property]
    : undefined;

interface RuledFieldError extends FieldError {
  ruleId?: string;
}

/** `owner`: the object the errors are about (its DTO class may name rules with `RuleOf`). */
function flatten(errors: ValidationError[], parent = '', owner?: unknown): RuledFieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const ruleId = ruleOf(owner, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message,
      ...(ruleId ? { ruleId } : {}),
    }));
    return [...own, ...flatten(error.children ?? [], field, error.value)];
  });
}

/** A validated DTO as data: own enumerable members, undefined ones left out, prototypes dropped. */
function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value))
    if (member !== undefined) out[key] = plainData(member);
  return out;
}

const NULL_ALLOWED = Symbol('caseledger:null-allowed');

/**
 * Marks a DTO property that may be sent as `null` (none today). Everywhere
 * else `null` is a 400: class-validator's @IsOptional lets `null` through,
 * and `wageRangeDesired: null` then reached the domain as a value (a 500).
 */
export function AllowNull(): PropertyDecorator {
  return (target: object, property: string | symbol) => {
    const owner = target as { [NULL_ALLOWED]?: Set<string | symbol> };
    const inherited = owner[NULL_ALLOWED];
    owner[NULL_ALLOWED] = new Set([...(inherited ?? []), property]);
  };
}

/** Request DTOs are class instances; plain objects and arrays inside them are data. */
const isDto = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && proto !== Object.prototype && !Array.isArray(value);
};

/**
 * Walks a transformed request DTO (iteratively; the request-shape guard has
 * already capped its depth): stamps every object with the instant dates are
 * judged against, and lists the properties sent as `null` that may not be.
 */
function prepare(root: object, now: Date): FieldError[] {
  const nulls: FieldError[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (!Object.isFrozen(value))
      Object.defineProperty(value, EDGE_NOW, { value: now, enumerable: false, configurable: true });
    const dto = isDto(value);
    const allowed = (value as { [NULL_ALLOWED]?: Set<string | symbol> })[NULL_ALLOWED];
    for (const [key, child] of Object.entries(value)) {
      const at = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (child === null && dto && !allowed?.has(key))
        nulls.push({ field: at, message: `${key} must not be null (omit it instead)` });
      stack.push({ value: child, path: at });
    }
  }
  return nulls;
}

/** 400 with field errors; under a rule's id when every error is about that rule's fields. */
const problemOf = (ruled: RuledFieldError[]) => {
  const fields = ruled.map(({ field, message }) => ({ field, message }));
  const rules = new Set(ruled.map((f) => f.ruleId));
  const [ruleId] = rules;
  return validationProblem(
    `${fields.length} field error(s): ${fields.map((f) => f.field).join(', ')}`,
    fields,
    rules.size === 1 ? ruleId : undefined,
  );
};

/**
 * Edge validation (STYLE.md 5): unknown fields and unknown enum values are 400
 * with field errors; dates are judged against the app's clock.
 */
class EdgeValidationPipe extends ValidationPipe {
  constructor(private readonly now: () => Date) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      exceptionFactory: (errors) => problemOf(flatten(errors)),
    });
  }

  /**
   * Parse once at the edge: a validated body leaves the pipe as plain command
   * data (no class instances, no undefined members), so controllers hand it
   * to the command as it is.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const parsed: unknown = await super.transform(value, metadata);
    return metadata.type === 'body' ? plainData(parsed) : parsed;
  }

  protected override async validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    const nulls = prepare(object, this.now());
    const errors = await super.validate(object, validatorOptions);
    if (nulls.length > 0 || errors.length > 0)
      throw problemOf([...nulls, ...flatten(errors, '', object)]);
    return errors;
  }
}

export const createValidationPipe = (now: () => Date = () => new Date()): ValidationPipe =>
  new EdgeValidationPipe(now);
