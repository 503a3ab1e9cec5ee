/**
 * RFC 9457 problem details on the wire. Every `type` is
 * `https://caseledger.dev/problems/<id>`: for a domain refusal `<id>` is the
 * rule id (R3, R13, BUSINESS_DATE, CONCURRENCY…, DESIGN.md "The domain rules");
 * otherwise it names the edge check (validation, malformed-json, unauthorized,
 * stale-revision, idempotency-key-reused, too-many-requests…).
 */
export const PROBLEM_BASE = 'https://caseledger.dev/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (id: string): string => `${PROBLEM_BASE}${id}`;
