/**
 * One error vocabulary (STYLE.md "Do this, not that" 5). Every refusal names the
 * rule it enforces (R1–R22 from DESIGN.md, or a named general rule) and a kind;
 * the HTTP shell maps kinds to problem+json statuses:
 *
 * | kind          | status | meaning                                           |
 * |---------------|--------|---------------------------------------------------|
 * | validation    | 400    | input that can never be right (future date, end before start) |
 * | forbidden     | 403    | the actor may not do this (R13, R16, auditors)    |
 * | not_found     | 404    | the case or an entity inside it does not exist    |
 * | conflict      | 409    | the case already exists / concurrent change       |
 * | rule          | 422    | a domain rule refused the command                 |
 */
export type DomainErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict' | 'rule';

export type RuleId =
  | 'R1'
  | 'R2'
  | 'R3'
  | 'R4'
  | 'R5'
  | 'R6'
  | 'R7'
  | 'R8'
  | 'R9'
  | 'R10'
  | 'R11'
  | 'R12'
  | 'R13'
  | 'R14'
  | 'R15'
  | 'R16'
  | 'R17'
  | 'R18'
  | 'R19'
  | 'R20'
  | 'R21'
  | 'R22'
  /**
   * The command's shape (a required field missing, a value outside its enum):
   * the edge refuses such requests first; the domain checks again without
   * borrowing a business rule's id.
   */
  | 'validation'
  /** DESIGN.md "Dates": no future dates, nothing before the case opened. */
  | 'BUSINESS_DATE'
  /** The case (or an entity in it) must exist / must not exist yet. */
  | 'CASE_EXISTS'
  | 'NOT_FOUND'
  /** A new entity (enrollment, contact, barrier, gap, goal, assessment) reuses an id. */
  | 'DUPLICATE_ID'
  /** Lifecycle: a command that the case's current status does not allow. */
  | 'CASE_STATUS'
  /** Optimistic concurrency: the stream moved since it was read. */
  | 'CONCURRENCY'
  /** DESIGN.md "Additions": records retention (disposal of personal data). */
  | 'RETENTION';

export class DomainError extends Error {
  constructor(
    readonly ruleId: RuleId,
    readonly kind: DomainErrorKind,
    message: string,
    /** Which input fields the refusal is about, for problem+json `errors`. */
    readonly fields: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (ruleId: RuleId, message: string, fields: string[] = []): DomainError =>
  new DomainError(ruleId, 'rule', message, fields);
export const invalid = (ruleId: RuleId, message: string, fields: string[] = []): DomainError =>
  new DomainError(ruleId, 'validation', message, fields);
export const forbidden = (ruleId: RuleId, message: string): DomainError =>
  new DomainError(ruleId, 'forbidden', message);
export const notFound = (message: string, fields: string[] = []): DomainError =>
  new DomainError('NOT_FOUND', 'not_found', message, fields);
