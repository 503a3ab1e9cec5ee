import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeadlineKind } from './deadline-kind';
import type { DeadlineObserver, DeadlineOutcome } from './deadline-processor';

export const JOB_STATES = ['waiting', 'delayed', 'active', 'failed', 'prioritized'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Job counts of a queue by state (BullMQ's getJobCounts). */
export async function queueCounts(queue: Queue): Promise<Record<JobState, number>> {
  const counts = await queue.getJobCounts(...JOB_STATES);
  return Object.fromEntries(JOB_STATES.map((s) => [s, counts[s] ?? 0])) as Record<JobState, number>;
}

/**
 * Prometheus view of the deadline machinery (queue depth, failed
 * jobs, lateness of each deadline's event after its instant), registered in the
 * platform's per-process registry that `/metrics` serves.
 */
export class DeadlineMetrics implements DeadlineObserver {
  private readonly lateness: Histogram<'kind'>;
  private readonly handledTotal: Counter<'kind' | 'outcome'>;
  private readonly batchJobs: Histogram;

  constructor(registry: Registry, queues: () => readonly Queue[]) {
    this.lateness = new Histogram({
      name: 'caseledger_deadline_lateness_seconds',
      help: 'Seconds from a deadline instant (start of the local day after the due date) to its event being appended',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    });
    this.handledTotal = new Counter({
      name: 'caseledger_deadline_jobs_handled_total',
      help: 'Deadline jobs handled, by kind and outcome (appended, unchanged, refused)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
    this.batchJobs = new Histogram({
      name: 'caseledger_deadline_batch_jobs',
      help: 'Due deadline jobs whose commands shared one stream read and one group-committed append',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    });
    new Gauge({
      name: 'caseledger_queue_jobs',
      help: 'BullMQ jobs by queue and state (failed: gave up after bounded retries; a sweep retries them)',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        for (const queue of queues()) {
          try {
            const counts = await queueCounts(queue);
            for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state]);
          } catch {
            // Redis down: /health says so; the scrape keeps its other metrics.
          }
        }
      },
    });
  }

  fired(kind: DeadlineKind, latenessSeconds: number): void {
    this.lateness.observe({ kind }, latenessSeconds);
  }

  handled(kind: DeadlineKind, outcome: DeadlineOutcome): void {
    this.handledTotal.inc({ kind, outcome });
  }

  /** A batch of due jobs went to the executor together (CommandBatcher's `onBatch`). */
  batched(jobs: number): void {
    this.batchJobs.observe(jobs);
  }
}
