import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { validationProblem, type FieldError } from '../problems/problem-details';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Edge validation (STYLE.md 5): unknown fields and unknown enum values are 400 with field errors. */
export const createValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return validationProblem(
        `${fields.length} field error(s): ${fields.map((f) => f.field).join(', ')}`,
        fields,
      );
    },
  });
