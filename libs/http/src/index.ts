/**
 * What every HTTP host of Caseledger shares, the API and the worker's
 * operators' port alike: security headers, the request budget, OPS_TOKEN on
 * the operators' endpoints, URL redaction for logs, the problem+json
 * wire basics they answer with, and the one operators' controller (/health,
 * /health/live, /health/ready, /metrics) each process registers with its profile.
 */
export * from './http-hardening';
export * from './problem-wire';
export * from './ops/ops.controller';
