/**
 * `If-Match: "<revision>"` named a revision the case has moved past (HTTP 412).
 * Not a DomainError: it is a precondition of the request, not a business rule.
 */
export class StaleRevisionError extends Error {
  constructor(
    readonly caseId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`case ${caseId} is at revision ${actual}, the request expected ${expected}`);
    this.name = 'StaleRevisionError';
  }
}
