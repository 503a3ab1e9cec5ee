import type { Actor } from '../case/case.vocabulary';
import type { BusinessDate } from '../shared/business-date';

/**
 * A local area's contact policy (01-02 §2: "Local Areas may require more frequent
 * contacts"; 04-34: contact at intervals of no longer than 60 days).
 */
export interface ContactPolicy {
  localAreaId: string;
  name: string;
  /** R9: the local contact standard, at most the soft-exit window. */
  contactIntervalDays: number;
  /** R8: days without a qualifying contact before the case soft exits (90). */
  softExitWindowDays: number;
  /** R19: days after the recorded job start before the follow-up is due. */
  followUpPeriodDays: number;
  /** R4: the shortest substantive progress/justification text. */
  minNoteLength: number;
  /** IANA time zone whose local date is the area's business date. */
  timeZone: string;
  /** Compliance: how long a suspension may await review (04-34 Case Closure). */
  suspensionReviewLimitDays: number;
}

/**
 * The terms of a policy that a case's deadlines are computed from. They are
 * copied into `CaseOpened` and `CaseTransferred`, so replaying a stream gives the
 * same deadlines even after the configured policy changes.
 */
export type PolicyTerms = Pick<
  ContactPolicy,
  'contactIntervalDays' | 'softExitWindowDays' | 'followUpPeriodDays'
>;

export const termsOf = (policy: ContactPolicy): PolicyTerms => ({
  contactIntervalDays: policy.contactIntervalDays,
  softExitWindowDays: policy.softExitWindowDays,
  followUpPeriodDays: policy.followUpPeriodDays,
});

/** Everything `decide` needs besides the command and the state. */
export interface DecideContext {
  /** The policy of the case's local area (of the requested area for OpenCase). */
  policy: ContactPolicy;
  /** Other areas' policies, for a transfer to another local area (R12). */
  policyOf: (localAreaId: string) => ContactPolicy | undefined;
  /** Today's business date in the area's time zone (STYLE.md: time is an input). */
  today: BusinessDate;
  /** Who issues the command (from the token, or the system for scheduled jobs). */
  actor: Actor;
}
