/** Injection tokens of the worker's deadline machinery. */
export const DEADLINES_CONFIG = Symbol('DEADLINES_CONFIG');
/** The ioredis connection BullMQ's queues share (workers open their own blocking ones). */
export const DEADLINES_REDIS = Symbol('DEADLINES_REDIS');
export const DEADLINES_QUEUE = Symbol('DEADLINES_QUEUE');
export const SWEEP_QUEUE_TOKEN = Symbol('SWEEP_QUEUE');
export const TIME_ZONE_OF = Symbol('TIME_ZONE_OF');
