import { LATE_ENTRY_POLICIES } from '../case/case.vocabulary';
import { businessDate, isBusinessDate } from '../shared/business-date';
import {
  DEFAULT_FOLLOW_UP_EVERY_DAYS,
  DEFAULT_FOLLOW_UP_MONTHS,
  type ContactPolicy,
} from './contact-policy';

/** 01-02 §2: 90 days without an entry and the customer soft exits; no area may stretch it. */
export const SOFT_EXIT_WINDOW_DAYS = 90;

/**
 * The statewide baseline (01-02): an entry every 90 days, a 30-day employment
 * follow-up (04-34 Case Closure 1), substantive notes (R4). Used for an area
 * that has configured nothing stricter.
 */
export function defaultPolicy(localAreaId: string, timeZone = 'America/Chicago'): ContactPolicy {
  return {
    localAreaId,
    name: `Default contact policy (${localAreaId})`,
    policyId: localAreaId,
    version: 1,
    contactIntervalDays: SOFT_EXIT_WINDOW_DAYS,
    softExitWindowDays: SOFT_EXIT_WINDOW_DAYS,
    followUpPeriodDays: 30,
    minNoteLength: 20,
    timeZone,
    suspensionReviewLimitDays: 30,
    followUpMonths: DEFAULT_FOLLOW_UP_MONTHS,
    followUpEveryDays: DEFAULT_FOLLOW_UP_EVERY_DAYS,
    // R21: 01-02 §2.3, entries are made "prior to a soft exit occurring".
    lateEntryAfterSoftExit: 'REFUSE',
    gapEntryAllowanceDays: 7,
    maxGapDays: 180,
    earliestDate: businessDate('1990-01-01'),
    maxPlannedDaysAhead: 730,
  };
}

/**
 * Two sensible areas: a Missouri-like one that follows 01-02 as written (an
 * entry every 90 days) and a Massachusetts-like one with 04-34's 60-day contact
 * standard (R9: "Local Areas may require more frequent contacts").
 */
export const DEFAULT_POLICIES: readonly ContactPolicy[] = Object.freeze([
  {
    ...defaultPolicy('MO-DEFAULT', 'America/Chicago'),
    name: 'Missouri-like area (DWD 01-02: 90-day entries; late entries refused)',
    policyId: 'MO-DWD-01-02',
    version: 2,
  },
  {
    ...defaultPolicy('MA-DEFAULT', 'America/New_York'),
    name: 'Massachusetts-like area (04-34: 60-day contact standard; late entries reverse with approval)',
    policyId: 'MA-WIA-04-34',
    version: 2,
    contactIntervalDays: 60,
    // R21: one shipped area of each kind; MA follows the "reverse with approval" practice.
    lateEntryAfterSoftExit: 'REVERSE_WITH_APPROVAL',
  },
]);

const isPositiveInteger = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n > 0;

/** True when the runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The problems with a policy (empty when it is usable). */
export function validatePolicy(policy: ContactPolicy): string[] {
  const problems: string[] = [];
  if (typeof policy.localAreaId !== 'string' || policy.localAreaId.trim() === '')
    problems.push('localAreaId must be a non-empty string');
  for (const field of [
    'contactIntervalDays',
    'softExitWindowDays',
    'followUpPeriodDays',
    'minNoteLength',
    'suspensionReviewLimitDays',
    'version',
    'followUpMonths',
    'followUpEveryDays',
    'gapEntryAllowanceDays',
    'maxGapDays',
    'maxPlannedDaysAhead',
  ] as const) {
    if (!isPositiveInteger(policy[field])) problems.push(`${field} must be a positive integer`);
  }
  if (policy.softExitWindowDays !== SOFT_EXIT_WINDOW_DAYS)
    problems.push(`softExitWindowDays must be ${SOFT_EXIT_WINDOW_DAYS} (01-02 §2)`);
  // R9: an area may require more frequent contact, never less.
  if (policy.contactIntervalDays > policy.softExitWindowDays)
    problems.push('contactIntervalDays must not exceed softExitWindowDays (R9)');
  if (typeof policy.policyId !== 'string' || policy.policyId.trim() === '')
    problems.push('policyId must be a non-empty string');
  if (!(LATE_ENTRY_POLICIES as readonly string[]).includes(policy.lateEntryAfterSoftExit))
    problems.push(`lateEntryAfterSoftExit must be one of ${LATE_ENTRY_POLICIES.join(', ')} (R21)`);
  if (!isBusinessDate(policy.earliestDate))
    problems.push('earliestDate must be a date written YYYY-MM-DD');
  if (!isTimeZone(policy.timeZone))
    problems.push(`timeZone must be an IANA time zone: ${String(policy.timeZone)}`);
  return problems;
}

export interface PolicyBook {
  /** The policy of a local area, or undefined when the area is unknown. */
  policyOf: (localAreaId: string) => ContactPolicy | undefined;
  readonly policies: readonly ContactPolicy[];
}

/**
 * A lookup over validated policies. Throws on an invalid or duplicated policy
 * so a bad configuration stops the process at start-up, not at the first case.
 */
export function createPolicyBook(
  policies: readonly ContactPolicy[] = DEFAULT_POLICIES,
): PolicyBook {
  const byArea = new Map<string, ContactPolicy>();
  for (const policy of policies) {
    const problems = validatePolicy(policy);
    if (problems.length > 0)
      throw new RangeError(`invalid contact policy ${policy.localAreaId}: ${problems.join('; ')}`);
    if (byArea.has(policy.localAreaId))
      throw new RangeError(`duplicate contact policy for ${policy.localAreaId}`);
    byArea.set(policy.localAreaId, Object.freeze({ ...policy }));
  }
  const frozen = Object.freeze([...byArea.values()]);
  return { policyOf: (localAreaId) => byArea.get(localAreaId), policies: frozen };
}
