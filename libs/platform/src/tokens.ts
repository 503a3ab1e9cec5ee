/** Injection tokens of the shared platform providers (API and worker import the same module). */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const REDIS = Symbol('REDIS');
export const CLOCK = Symbol('CLOCK');
/** The local areas' policy lookup (`PolicyLookup`: area id → policy or undefined). */
export const POLICY_BOOK = Symbol('POLICY_BOOK');
/** The same book whole (`PolicyBook`: the lookup and the list), for the read side's calendars. */
export const AREA_POLICIES = Symbol('AREA_POLICIES');
