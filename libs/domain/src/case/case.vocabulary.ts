/**
 * The enumerations of the v1 contract (DESIGN.md "Request and response fields").
 * Values are part of the HTTP contract: add, never rename.
 */

/** R1: the program group a case belongs to. */
export const PROGRAMS = [
  'WIOA_ADULT',
  'WIOA_DISLOCATED_WORKER',
  'WIOA_YOUTH',
  'VETERAN',
  'EAS',
  'NEG',
  'TAA',
  'LOCAL',
] as const;
export type Program = (typeof PROGRAMS)[number];

export const ACTIVITY_TYPES = [
  'TRAINING',
  'INTENSIVE_SERVICES',
  'JOB_SEARCH',
  'WORK_EXPERIENCE',
  'SUPPORT_SERVICE',
  'OTHER',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const ENROLLMENT_OUTCOMES = ['COMPLETED', 'WITHDREW', 'OTHER'] as const;
export type EnrollmentOutcome = (typeof ENROLLMENT_OUTCOMES)[number];

/** R4: every contact states its method. */
export const CONTACT_METHODS = ['IN_PERSON', 'TELEPHONE', 'LETTER', 'EMAIL'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** R6: who was contacted. */
export const CONTACT_PARTIES = ['CUSTOMER', 'PROVIDER', 'ALTERNATE'] as const;
export type ContactParty = (typeof CONTACT_PARTIES)[number];

/** R5/R7: what came of it. */
export const CONTACT_OUTCOMES = [
  'REACHED',
  'NO_ANSWER',
  'MESSAGE_LEFT',
  'SENT',
  'RESPONSE_RECEIVED',
] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/** R11. */
export const BARRIER_CATEGORIES = [
  'TRANSPORTATION',
  'HOUSING',
  'CHILD_CARE',
  'LIMITED_ENGLISH',
  'BASIC_SKILLS',
  'LABOR_MARKET',
  'JOB_SEARCH_SKILLS',
  'OTHER',
] as const;
export type BarrierCategory = (typeof BARRIER_CATEGORIES)[number];

/** R10. */
export const GAP_REASONS = [
  'TRAINING_BREAK',
  'HEALTH',
  'FAMILY_CARE',
  'AWAITING_TRAINING_START',
  'OTHER',
] as const;
export type GapReason = (typeof GAP_REASONS)[number];

export const GOAL_RESOLUTIONS = ['ACHIEVED', 'NOT_ACHIEVED', 'CANCELLED'] as const;
export type GoalResolution = (typeof GOAL_RESOLUTIONS)[number];
export type GoalStatus = 'PENDING' | GoalResolution;

export const ASSESSMENT_KINDS = [
  'READING',
  'MATH',
  'OCCUPATIONAL_SKILLS',
  'APTITUDE',
  'INTERESTS',
  'WORK_HISTORY',
  'EDUCATION',
  'LABOR_MARKET',
] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

/** R18: who may skip the reading and math scores. */
export const ASSESSMENT_EXEMPTIONS = ['POST_SECONDARY_EDUCATION'] as const;
export type AssessmentExemption = (typeof ASSESSMENT_EXEMPTIONS)[number];

/** R14. */
export const CLOSURE_REASONS = [
  'EMPLOYMENT_ATTAINED',
  'MOVED_OUT_OF_AREA',
  'CUSTOMER_WITHDREW',
  'NO_CONTACT_90_DAYS',
  'OTHER',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

/**
 * R17 v2: ACTIVE (served), SOFT_EXITED (program exited; the case stays open for
 * follow-up and its formal closure), CLOSED (the only terminal state). A
 * suspension for closure is a pending request shown beside the status (R16 v2),
 * so no case is ever in a SUSPENDED status any more.
 */
export const CASE_STATUSES = ['ACTIVE', 'SOFT_EXITED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Listing filters accept the v1 value SUSPENDED: the cases with a pending suspension. */
export const CASE_STATUS_FILTERS = ['ACTIVE', 'SUSPENDED', 'SOFT_EXITED', 'CLOSED'] as const;
export type CaseStatusFilter = (typeof CASE_STATUS_FILTERS)[number];

/** R21: what a local area does with a late entry after a soft exit. */
export const LATE_ENTRY_POLICIES = ['REFUSE', 'REVERSE_WITH_APPROVAL'] as const;
export type LateEntryPolicy = (typeof LATE_ENTRY_POLICIES)[number];

/** R22: the entries that `CorrectEntry` corrects, and the fields of each it may change. */
export const CORRECTABLE_ENTITIES = ['ENROLLMENT', 'GAP', 'GOAL', 'ASSESSMENT', 'BARRIER'] as const;
export type CorrectableEntity = (typeof CORRECTABLE_ENTITIES)[number];

export const ROLES = ['case_manager', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Tickler deadlines that record an auditable event when they pass (R9, R19, R20). */
export const TICKLER_KINDS = ['CONTACT_DUE', 'FOLLOW_UP_DUE'] as const;
export type TicklerKind = (typeof TICKLER_KINDS)[number];

export interface Customer {
  id: string;
  firstName: string;
  lastName: string;
}

/** R14: what an EMPLOYMENT_ATTAINED closure must carry (04-34 chart, Case Closure). */
export interface JobInformation {
  title: string;
  employerName: string;
  employerAddress: string;
  employerPhone: string;
  employerContact: string;
  hourlyWage: number;
  hoursPerWeek: number;
  benefits: string;
}

export interface WageRange {
  min: number;
  max: number;
}

/** Who issued a command; recorded on every event (R13). */
export interface Actor {
  staffId: string;
  role: Role;
  careerCenterId: string;
  /** Other career centers this staff member is cleared to change (R13). */
  clearances?: readonly string[];
}

/**
 * Records retention: what a personal field reads as once the customer's
 * personal data was disposed of (README "Personal data").
 */
export const PERSONAL_DATA_DISPOSED = '[disposed]';
