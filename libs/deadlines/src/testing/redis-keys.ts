import type { Redis } from 'ioredis';

/**
 * Deletes every key under a BullMQ prefix. Tests share one Redis (each on its own
 * prefix, test/support/redis.ts), so "lose everything in Redis" is this, not a
 * FLUSHALL that would wipe the other test files' queues.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
