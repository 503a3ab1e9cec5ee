import { ConfigError } from '@caseledger/platform';

/**
 * The deadline machinery's settings (issue 6), validated at start like the
 * platform's configuration: every problem is listed at once.
 */
export interface DeadlinesConfig {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own per file). */
  prefix: string;
  /** How often the sweep re-derives every open deadline (it also runs once at start). */
  sweepEveryMs: number;
  /** Bounded retries of a deadline job, with exponential backoff from `backoffMs`. */
  attempts: number;
  backoffMs: number;
  /** Deadline jobs processed in parallel per worker process. */
  concurrency: number;
  /** Events per reactor batch. */
  reactorBatchSize: number;
  /** A job whose worker died is handed to another worker after this (BullMQ stalled-job check). */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

type Env = Record<string, string | undefined>;

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  problems: string[],
): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min) {
    problems.push(`${name} must be an integer of at least ${min} (got "${text}")`);
    return fallback;
  }
  return value;
}

export function loadDeadlinesConfig(env: Env, redisUrl: string): DeadlinesConfig {
  const problems: string[] = [];
  const prefix = env.BULLMQ_PREFIX?.trim() || 'caseledger';
  if (prefix.includes(':')) problems.push(`BULLMQ_PREFIX must not contain ":" (got "${prefix}")`);
  const config: DeadlinesConfig = {
    redisUrl,
    prefix,
    sweepEveryMs: integer(env, 'DEADLINE_SWEEP_EVERY_MS', 300_000, 1_000, problems),
    attempts: integer(env, 'DEADLINE_JOB_ATTEMPTS', 5, 1, problems),
    backoffMs: integer(env, 'DEADLINE_JOB_BACKOFF_MS', 1_000, 1, problems),
    concurrency: integer(env, 'DEADLINE_WORKER_CONCURRENCY', 50, 1, problems),
    reactorBatchSize: integer(env, 'DEADLINE_REACTOR_BATCH_SIZE', 500, 1, problems),
    lockDurationMs: integer(env, 'DEADLINE_LOCK_DURATION_MS', 30_000, 1_000, problems),
    stalledIntervalMs: integer(env, 'DEADLINE_STALLED_INTERVAL_MS', 30_000, 1_000, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
