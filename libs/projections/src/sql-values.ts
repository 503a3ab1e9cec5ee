/** A SQL value the query cast to text (`::text`), as a string. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

export const asTextOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : asText(value);

/** Only identifiers we generate ever reach SQL text; this keeps it that way. */
export function assertIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a table name: ${name}`);
  return name;
}
