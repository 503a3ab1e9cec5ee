import { runUseCases } from '../support/api-specification';
import { USE_CASES } from '.';

/**
 * The use cases run in full on PostgreSQL (use-cases.e2e-spec.ts); here, one
 * app on PGlite runs the scenarios each marks `smoke()`: every use case's
 * main path and a refusal that appends nothing. The store contract suite
 * (libs/event-store) already proves the two backends alike event by event.
 */
runUseCases('HTTP API v1 smoke', 'pglite', USE_CASES, (s) => s.smoke);
