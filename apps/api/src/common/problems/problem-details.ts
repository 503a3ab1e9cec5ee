import { problemType } from '@caseledger/http';

/**
 * The API's RFC 9457 problem documents. The `type` URIs and the content type
 * are the shared wire basics of libs/http (`problemType(id)`); the rule id is
 * also given as the `ruleId` extension member.
 */
export { PROBLEM_BASE, PROBLEM_CONTENT_TYPE, problemType } from '@caseledger/http';

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

export const validationProblem = (detail: string, errors: FieldError[]): ProblemException =>
  new ProblemException({
    type: problemType('validation'),
    title: 'The request is invalid',
    status: 400,
    detail,
    errors,
  });
