/** Test support of the deadlines lib (its harness and Redis key clean-up), for specs outside it. */
export * from './deadline-harness';
export * from './redis-keys';
