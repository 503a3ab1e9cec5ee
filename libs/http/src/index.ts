/**
 * What every HTTP host of Caseledger shares, the API and the worker's
 * operators' port alike: security headers, the request budget, OPS_TOKEN on
 * the operators' endpoints, URL redaction for logs, and the problem+json
 * wire basics they answer with.
 */
export * from './http-hardening';
export * from './problem-wire';
