import { businessDate, type BusinessDate } from '@caseledger/domain';

/** A SQL value the query cast to text (`::text`), as a string. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

export const asTextOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : asText(value);

/** A SQL `date` the query cast to text: PostgreSQL writes it YYYY-MM-DD, a business date. */
export const asDate = (value: unknown): BusinessDate => businessDate(asText(value));

export const asDateOrNull = (value: unknown): BusinessDate | null =>
  value === null || value === undefined ? null : asDate(value);

/** Only identifiers we generate ever reach SQL text; this keeps it that way. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a table name: ${name}`);
  return name;
}
