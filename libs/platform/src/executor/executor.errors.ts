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

/**
 * The Idempotency-Key was first used for another request: the events its
 * command id produced carry another request fingerprint (HTTP 422).
 */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly caseId: string) {
    super(`the Idempotency-Key was used for a different request on case ${caseId}`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
