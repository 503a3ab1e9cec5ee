/** A SQL value the query cast to text (`::text`), as a string. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  return JSON.stringify(value);
}

export const asTextOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : asText(value);
