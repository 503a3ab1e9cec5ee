import { DomainError, SYSTEM_ACTOR } from '@caseledger/domain';
import type { CaseCommandExecutor, Clock } from '@caseledger/platform';
import { DelayedError, type Job } from 'bullmq';
import {
  deadlineCommand,
  deadlineCommandId,
  deadlineJobId,
  type DeadlineJobData,
  type DeadlineKind,
} from './deadline-kind';
import { desiredJobs, sameDeadline, viewOfState, type TimeZoneOf } from './desired-deadlines';

/**
 * The command path the API uses (read, fold, decide, append with retries): the
 * platform's executor, or the worker's CommandBatcher in front of it (due jobs
 * that arrive together share one stream read and one group-committed append,
 * each job still getting its own command's verdict).
 */
export type CommandPath = Pick<CaseCommandExecutor, 'execute'>;

/**
 * - appended: the command recorded its event (a soft exit, a tickler);
 * - unchanged: `decide` found nothing to do, or the command id had already been applied;
 * - refused: a domain rule refused the command (logged; a hint that came to nothing).
 */
export type DeadlineOutcome = 'appended' | 'unchanged' | 'refused';

export interface DeadlineObserver {
  /** Seconds between the deadline's instant and the moment its event was appended. */
  fired(kind: DeadlineKind, latenessSeconds: number): void;
  handled(kind: DeadlineKind, outcome: DeadlineOutcome): void;
  refused?(job: DeadlineJobData, error: DomainError): void;
}

type DeadlineJob = Job<DeadlineJobData, unknown, DeadlineKind>;

/**
 * STYLE.md 2, "A job only wakes the system": the processor sends the deadline's
 * command through the platform's executor as the system actor and lets `decide`
 * judge the case as it is now. The command id names the case and the deadline,
 * so a duplicate, retried or late job appends nothing a second time.
 */
export class DeadlineProcessor {
  constructor(
    private readonly commands: CommandPath,
    private readonly clock: Clock,
    private readonly timeZoneOf: TimeZoneOf,
    private readonly observer?: DeadlineObserver,
  ) {}

  async process(job: DeadlineJob, token?: string): Promise<DeadlineOutcome> {
    const data = job.data;
    const now = this.clock.now().getTime();
    // Timers are hints: a job woken before its instant (clock skew between
    // hosts, a promotion from a lagging read model) waits for the rest.
    if (now < data.fireAt) await this.postpone(job, data, now, token);

    const commandId = deadlineCommandId(data.kind, data.caseId, data.dueOn);
    let outcome: DeadlineOutcome;
    let state;
    try {
      const result = await this.commands.execute({
        caseId: data.caseId,
        command: deadlineCommand(data),
        actor: SYSTEM_ACTOR,
        commandId,
        correlationId: deadlineJobId(data.kind, data.caseId),
      });
      state = result.state;
      outcome = result.events.length > 0 && !result.repeated ? 'appended' : 'unchanged';
      if (outcome === 'appended') {
        const lateness = Math.max(0, this.clock.now().getTime() - data.fireAt) / 1000;
        this.observer?.fired(data.kind, lateness);
      }
    } catch (error) {
      // A concurrency conflict that outlasted the executor's retries, or the
      // store being down, is worth a retry (neither is a DomainError: the
      // ConcurrencyError is the store's); a rule's refusal is the answer.
      if (!(error instanceof DomainError)) throw error;
      this.observer?.refused?.(data, error);
      this.observer?.handled(data.kind, 'refused');
      return 'refused';
    }
    this.observer?.handled(data.kind, outcome);

    // The deadline may have moved while this job was queued or running (the
    // reactor cannot replace a running job): follow it rather than lose it.
    const next = desiredJobs(viewOfState(state), this.timeZoneOf)[data.kind];
    if (next !== null && !sameDeadline(next, data)) {
      await job.updateData(next);
      await this.postpone(job, next, this.clock.now().getTime(), token);
    }
    return outcome;
  }

  /** Back to the delayed set until the clock reaches `data.fireAt`; never returns. */
  private async postpone(
    job: DeadlineJob,
    data: DeadlineJobData,
    now: number,
    token: string | undefined,
  ): Promise<never> {
    // BullMQ's delayed set is kept in the host's wall time; the clock decides how far ahead.
    await job.moveToDelayed(Date.now() + Math.max(0, data.fireAt - now), token);
    throw new DelayedError();
  }
}
