import { runUseCases } from '../support/api-specification';
import { USE_CASES } from '.';

/**
 * Every use case's scenarios on one app on PostgreSQL (real HTTP, real Redis).
 * Each scenario opens its own case and customer, so they share nothing but the
 * app, and each refusal proves for its own case that nothing was appended.
 * `jest -t '<use-case title>'` runs one use case.
 */
runUseCases('HTTP API v1', 'postgres', USE_CASES);
