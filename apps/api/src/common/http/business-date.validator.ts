import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isBusinessDate } from '@caseledger/domain';
import { implausibleDate, type DateKind } from './plausible-date';

/**
 * The instant the edge validates against, attached (non-enumerable) to every
 * object of a request DTO by the validation pipe, so date ranges follow the
 * app's clock (tests run apps on fixed clocks) without a global.
 */
export const EDGE_NOW = Symbol('caseledger:edge-now');

function nowOf(args: ValidationArguments): Date {
  const tagged = (args.object as { [EDGE_NOW]?: unknown })[EDGE_NOW];
  return tagged instanceof Date ? tagged : new Date();
}

/**
 * A real calendar date written YYYY-MM-DD in the plausible range of DESIGN.md
 * "Dates" (v2): `past` (the default: a fact, from 1990-01-01 to today) or
 * `planned` (a planned end or start, at most 2 years ahead). Reusable by every
 * DTO, so no command date reaches the domain unchecked.
 */
export function IsPlausibleDate(
  kind: DateKind = 'past',
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isPlausibleDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          implausibleDate(value, kind, nowOf(args)) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${implausibleDate(args.value, kind, nowOf(args)) ?? 'is not a plausible date'}`,
      },
    });
}

/** A date of something that happened (contact, opening, assessment…): at most today. */
export const IsBusinessDate = (options?: ValidationOptions): PropertyDecorator =>
  IsPlausibleDate('past', options);

/** A planned date (a gap's start or end, an enrollment's planned end): at most 2 years ahead. */
export const IsPlannedDate = (options?: ValidationOptions): PropertyDecorator =>
  IsPlausibleDate('planned', options);

/**
 * A real calendar date YYYY-MM-DD with no plausibility range: for query
 * windows (`from`, `to` of a report), which bound a search, not a fact.
 */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a real calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isBusinessDate(value) },
    });
}

/** Client-chosen ids become part of stream names (`case-<id>`): keep them plain. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ID_MESSAGE = '$property must be 1–100 letters, digits, dots, dashes or underscores';
