/** Injection tokens of the shared platform providers (API and worker import the same module). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const REDIS = Symbol('REDIS');
export const CLOCK = Symbol('CLOCK');
export const POLICY_BOOK = Symbol('POLICY_BOOK');
