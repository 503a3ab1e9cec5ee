import type { Queue } from 'bullmq';
import { queueCounts, type JobState } from './deadline-metrics';

export interface DeadlineHealthReport {
  /**
   * up: Redis answers and no job has given up; degraded: some job exhausted its
   * retries and waits in the failed set for the next sweep; down: Redis does not answer.
   */
  status: 'up' | 'degraded' | 'down';
  queues?: Record<string, Record<JobState, number>>;
  error?: string;
}

/** The deadline queues' state for `/health` (failed jobs are reported). */
export class DeadlineHealth {
  constructor(private readonly queues: () => readonly Queue[]) {}

  async check(timeoutMs = 2_000): Promise<DeadlineHealthReport> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const counts = await Promise.race([
        Promise.all(this.queues().map(async (q) => [q.name, await queueCounts(q)] as const)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      const queues = Object.fromEntries(counts);
      const failed = counts.reduce((sum, [, c]) => sum + c.failed, 0);
      return { status: failed > 0 ? 'degraded' : 'up', queues };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Token of the deadline health probe, present when the worker side runs in the process. */
export const DEADLINE_HEALTH_PROBE = Symbol('DEADLINE_HEALTH_PROBE');
