import { isBusinessDate } from '@caseledger/domain';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/** A real calendar date written YYYY-MM-DD (DESIGN.md: dates are business dates). */
export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isBusinessDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isBusinessDate(value) },
    });
}

/** Client-chosen ids become part of stream names (`case-<id>`): keep them plain. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const ID_MESSAGE = '$property must be 1–100 letters, digits, dots, dashes or underscores';
