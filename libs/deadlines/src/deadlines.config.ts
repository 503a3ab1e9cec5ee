import type { AppConfig, DeadlineSettings } from '@caseledger/platform';

/**
 * The deadline machinery's settings: its section of the platform's
 * configuration (BULLMQ_PREFIX, DEADLINE_*, validated at start with the rest,
 * libs/platform/src/config) and the Redis it uses.
 */
export interface DeadlinesConfig extends DeadlineSettings {
  redisUrl: string;
}

export function deadlinesConfigOf(config: AppConfig): DeadlinesConfig {
  return { ...config.deadlines, redisUrl: config.redisUrl };
}
