import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { validationProblem, type FieldError } from '../problems/problem-details';
import { EDGE_NOW } from './business-date.validator';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // Each field once: its failed constraints in one message.
    const messages = Object.values(error.constraints ?? {});
    const own = messages.length > 0 ? [{ field, message: messages.join('; ') }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
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

/** Each field once, whichever checks found it (the messages joined). */
export function onePerField(fields: readonly FieldError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const { field, message } of fields) {
    const messages = byField.get(field) ?? [];
    if (!messages.includes(message)) messages.push(message);
    byField.set(field, messages);
  }
  return [...byField].map(([field, messages]) => ({ field, message: messages.join('; ') }));
}

const problemOf = (all: FieldError[], fields = onePerField(all)) =>
  validationProblem(
    `${fields.length} field error(s): ${fields.map((f) => f.field).join(', ')}`,
    fields,
  );

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

  protected override async validate(
    object: object,
    validatorOptions?: ValidatorOptions,
  ): Promise<ValidationError[]> {
    const nulls = prepare(object, this.now());
    const errors = await super.validate(object, validatorOptions);
    if (nulls.length > 0) {
      const fields = [...nulls, ...flatten(errors)];
      throw problemOf(fields);
    }
    return errors;
  }
}

export const createValidationPipe = (now: () => Date = () => new Date()): ValidationPipe =>
  new EdgeValidationPipe(now);
