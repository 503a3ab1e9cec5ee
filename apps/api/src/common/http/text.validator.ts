import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/**
 * Text that says something: not empty and not only white space. The domain
 * takes a command's required texts as given (it judges rules, not shape), so
 * a blank description, reason or name is refused here, as an empty one is,
 * with the same message.
 */
export function IsNotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property should not be empty', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
      },
    });
}

/**
 * A number no smaller than its sibling `field` (a range's `max` against its
 * `min`). Only judged when both are numbers: their own checks name them otherwise.
 */
export function IsNotLessThan(field: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotLessThan',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [field],
      options: { message: `$property must not be less than ${field}`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          const other = (args.object as Record<string, unknown>)[field];
          return typeof value !== 'number' || typeof other !== 'number' || value >= other;
        },
      },
    });
}
