import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * An integer query parameter written in plain decimal digits and bounded on
 * both sides: `?page=1e300` passed `@Type(() => Number)` + `@IsInt()` (1e300
 * is an integer) and reached SQL as an offset (a 500). Anything else than
 * 1–9 digits becomes NaN and is refused by @IsInt.
 */
export function QueryInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d{1,9}$/.test(value)
        ? Number(value)
        : typeof value === 'number'
          ? value
          : Number.NaN,
    ),
    IsInt(),
    Min(min),
    Max(max),
  );
}
