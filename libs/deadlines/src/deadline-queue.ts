import type { Clock } from '@caseledger/platform';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import {
  DEADLINE_KINDS,
  deadlineJobId,
  type DeadlineJobData,
  type DeadlineKind,
} from './deadline-kind';
import { sameDeadline, type DesiredJobs } from './desired-deadlines';

export const DEADLINE_QUEUE = 'deadlines';
export const SWEEP_QUEUE = 'deadline-sweep';

export interface DeadlineJobPolicy {
  /** Bounded retries: after the last one the job waits in the failed set for a sweep. */
  attempts: number;
  /** First retry delay; each next one doubles (exponential backoff). */
  backoffMs: number;
}

export const DEFAULT_JOB_POLICY: DeadlineJobPolicy = { attempts: 5, backoffMs: 1_000 };

export function deadlineJobOptions(policy: DeadlineJobPolicy): JobsOptions {
  return {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    // A completed job frees its id for the case's next deadline; a failed one
    // stays visible (health, metrics, Bull Board) until a sweep retries it.
    removeOnComplete: true,
    removeOnFail: false,
  };
}

export function createDeadlineQueue(
  connection: ConnectionOptions,
  prefix: string,
  policy: DeadlineJobPolicy = DEFAULT_JOB_POLICY,
): Queue<DeadlineJobData, unknown, DeadlineKind> {
  return new Queue<DeadlineJobData, unknown, DeadlineKind>(DEADLINE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: deadlineJobOptions(policy),
  });
}

/**
 * What reconciling one case's job of one kind did:
 * - added: there was no job; one now waits for the deadline;
 * - moved: the job named another deadline and was replaced;
 * - removed: the case has no such deadline any more;
 * - promoted: the job was still delayed but its instant has passed (by the clock);
 * - retried: the job had failed and was sent back to be tried again;
 * - kept: the job already matches;
 * - busy: the job is running; its processor re-derives the deadline when done.
 */
export type ReconcileAction =
  'added' | 'moved' | 'removed' | 'promoted' | 'retried' | 'kept' | 'busy';

/**
 * `reactor`: the stream is the truth, so a job for another deadline is replaced.
 * `sweep`: the read model may lag the reactor, so a differing job is left alone;
 * only missing, failed or overdue jobs are dealt with.
 */
export type ReconcileMode = 'reactor' | 'sweep';

/**
 * Keeps a case's BullMQ jobs in line with its deadlines: one job per case and
 * kind (`soft-exit-<caseId>`…), delayed until the first instant at which the
 * area's local date is past the due date. Delays are computed from the injected
 * clock, so a test that sets its clock forward sees jobs become due.
 */
export class DeadlineScheduler {
  private pendingAdds: Array<{
    job: { name: DeadlineKind; data: DeadlineJobData; opts: JobsOptions };
    resolve: () => void;
    reject: (error: unknown) => void;
  }> = [];
  private addsScheduled: NodeJS.Immediate | undefined;

  constructor(
    readonly queue: Queue<DeadlineJobData, unknown, DeadlineKind>,
    private readonly clock: Clock,
  ) {}

  /** Kinds absent from `desired` (a partial record) are left as they are. */
  async reconcile(
    caseId: string,
    desired: DesiredJobs | Partial<DesiredJobs>,
    mode: ReconcileMode,
  ): Promise<Record<DeadlineKind, ReconcileAction | 'none'>> {
    const actions = { 'soft-exit': 'none', 'contact-due': 'none', 'follow-up': 'none' } as Record<
      DeadlineKind,
      ReconcileAction | 'none'
    >;
    await Promise.all(
      DEADLINE_KINDS.map(async (kind) => {
        const want = desired[kind];
        if (want === undefined) return;
        actions[kind] = await this.reconcileOne(kind, caseId, want, mode);
      }),
    );
    return actions;
  }

  private async reconcileOne(
    kind: DeadlineKind,
    caseId: string,
    want: DeadlineJobData | null,
    mode: ReconcileMode,
  ): Promise<ReconcileAction | 'none'> {
    const id = deadlineJobId(kind, caseId);
    if (want === null) {
      if (mode === 'sweep') return 'none';
      // One round trip: 0 means no such job, or one running (its processor re-derives).
      return (await this.queue.remove(id)) === 1 ? 'removed' : 'none';
    }
    const job = await this.queue.getJob(id);
    if (!job) {
      await this.add(want);
      return 'added';
    }
    const state = await job.getState();
    if (state === 'active') return 'busy';
    if (state === 'unknown') {
      // Removed between the two reads (completed just now): add afresh.
      await this.add(want);
      return 'added';
    }
    if (!sameDeadline(job.data, want)) {
      if (mode === 'sweep' && state !== 'completed') return 'kept';
      if ((await this.queue.remove(id)) !== 1) return 'busy';
      await this.add(want);
      return 'moved';
    }
    if (state === 'failed') {
      try {
        await job.retry('failed', { resetAttemptsMade: true });
        return 'retried';
      } catch {
        return 'busy';
      }
    }
    if (state === 'completed') {
      if ((await this.queue.remove(id)) !== 1) return 'busy';
      await this.add(want);
      return 'added';
    }
    if (state === 'delayed' && job.data.fireAt <= this.clock.now().getTime()) {
      try {
        await job.promote();
        return 'promoted';
      } catch {
        return 'busy';
      }
    }
    return 'kept';
  }

  /**
   * Adds issued in the same turn of the event loop (the reactor's and the
   * sweep's parallel lanes) go to Redis as one `addBulk` round trip; each
   * caller still resolves only once its own job is in Redis.
   */
  private add(data: DeadlineJobData): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingAdds.push({
        job: {
          name: data.kind,
          data,
          opts: {
            jobId: deadlineJobId(data.kind, data.caseId),
            delay: this.delayUntil(data.fireAt),
          },
        },
        resolve,
        reject,
      });
      this.addsScheduled ??= setImmediate(() => void this.flushAdds());
    });
  }

  private async flushAdds(): Promise<void> {
    const batch = this.pendingAdds;
    this.pendingAdds = [];
    this.addsScheduled = undefined;
    try {
      await this.queue.addBulk(batch.map((pending) => pending.job));
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  /** Milliseconds from the clock's now to `instant` (0 when it has passed). */
  delayUntil(instant: number): number {
    return Math.max(0, instant - this.clock.now().getTime());
  }
}
