import { randomUUID } from 'node:crypto';

/** Redis at REDIS_URL (the test command starts a loopback one). */
export function redisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/**
 * A BullMQ prefix of its own per test (STYLE.md, after taskforcesh/bullmq): tests
 * never share queues, and cleaning up means deleting `${prefix}:*`.
 */
export function uniquePrefix(label = 'test'): string {
  return `cltest-${label}-${randomUUID().slice(0, 8)}`;
}
