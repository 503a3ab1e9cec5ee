import { addDays, isBusinessDate, startOfBusinessDate } from '@caseledger/domain';

/**
 * `asOf` as auditors give it (DESIGN.md "Additions": a date, meaning the end of
 * that local day, or a timestamp). Returns undefined when the text is neither.
 */
export function asOfInstant(value: string, timeZone: string): Date | undefined {
  if (isBusinessDate(value)) {
    // The last instant of the day: just before the next local midnight.
    return new Date(startOfBusinessDate(addDays(value, 1), timeZone).getTime() - 1);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return undefined;
  }
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}
