/**
 * RFC 9457 problem details. Every `type` is `https://caseledger.dev/problems/<id>`:
 * for a domain refusal `<id>` is the rule id (R3, R13, BUSINESS_DATE, CONCURRENCY…,
 * DESIGN.md "The domain rules"); otherwise it names the edge check
 * (validation, malformed-json, unauthorized, stale-revision, idempotency-key-reused…).
 * The rule id is also given as the `ruleId` extension member.
 */
export const PROBLEM_BASE = 'https://caseledger.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (id: string): string => `${PROBLEM_BASE}${id}`;

export interface FieldError {
  /** Dotted path of the offending input field (`customer.firstName`, `caseId`). */
  field: string;
  message: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  ruleId?: string;
  errors?: FieldError[];
  correlationId?: string;
  [extension: string]: unknown;
}

/** An edge refusal with a ready problem document (validation, idempotency, If-Match…). */
export class ProblemException extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemException';
  }
}

export const validationProblem = (
  detail: string,
  errors: FieldError[],
  ruleId?: string,
): ProblemException =>
  new ProblemException({
    type: problemType(ruleId ?? 'validation'),
    title: 'The request is invalid',
    status: 400,
    detail,
    ...(ruleId ? { ruleId } : {}),
    errors,
  });
