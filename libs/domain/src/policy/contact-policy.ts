import type { Actor, LateEntryPolicy } from '../case/case.vocabulary';
import type { BusinessDate } from '../shared/business-date';

/**
 * A local area's contact policy (01-02 §2: "Local Areas may require more frequent
 * contacts"; 04-34: contact at intervals of no longer than 60 days).
 */
export interface ContactPolicy {
  localAreaId: string;
  name: string;
  /** Which policy this is and which edition of it: decisions name both (DESIGN.md "Events" v2). */
  policyId: string;
  version: number;
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
  /** R20: months of follow-up after the program exit (youth) or the job start (adults, DW). */
  followUpMonths: number;
  /** R20: a follow-up contact is owed every this many days during the follow-up. */
  followUpEveryDays: number;
  /** R21: what a late entry after a soft exit does (REFUSE is 01-02 as written). */
  lateEntryAfterSoftExit: LateEntryPolicy;
  /** R10 v2: a gap is scheduled no later than its start date plus this many days. */
  gapEntryAllowanceDays: number;
  /** R10 v2: the longest planned gap. */
  maxGapDays: number;
  /** DESIGN.md "Dates" v2: no date in a command lies before this one. */
  earliestDate: BusinessDate;
  /** DESIGN.md "Dates" v2: planned end dates lie at most this many days ahead of today. */
  maxPlannedDaysAhead: number;
}

/**
 * The terms of a policy that a case's deadlines are computed from. They are
 * copied into `CaseOpened` and `CaseTransferred`, so replaying a stream gives the
 * same deadlines even after the configured policy changes.
 */
export type PolicyTerms = Pick<
  ContactPolicy,
  | 'policyId'
  | 'version'
  | 'contactIntervalDays'
  | 'softExitWindowDays'
  | 'followUpPeriodDays'
  | 'followUpMonths'
  | 'followUpEveryDays'
>;

export const termsOf = (policy: ContactPolicy): PolicyTerms => ({
  policyId: policy.policyId,
  version: policy.version,
  contactIntervalDays: policy.contactIntervalDays,
  softExitWindowDays: policy.softExitWindowDays,
  followUpPeriodDays: policy.followUpPeriodDays,
  followUpMonths: policy.followUpMonths,
  followUpEveryDays: policy.followUpEveryDays,
});

/** R20 defaults, also what a v1 `CaseOpened` (written before R20) is read with. */
export const DEFAULT_FOLLOW_UP_MONTHS = 12;
export const DEFAULT_FOLLOW_UP_EVERY_DAYS = 90;

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
