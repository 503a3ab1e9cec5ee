import DataLoader from 'dataloader';
import type { CaseCommandExecutor, ExecuteInput, ExecuteResult } from './case-command-executor';

export interface CommandBatcherOptions {
  /** Most commands in one batch (default 128, group commit's own batch size). */
  maxBatchSize?: number;
  /**
   * How long a batch's first command waits for companions, in ms (default 5;
   * 0: only those issued in the same turn of the event loop).
   */
  waitMs?: number;
  /** Told each batch's size as it goes (metrics). */
  onBatch?: (size: number) => void;
}

/**
 * Gathers commands issued close together into `executeMany` batches, so many
 * cases cost one stream read and one group-committed append instead of a
 * round-trip chain each (a storm of deadlines falling due at one instant,
 * every job awaiting its own command). Each caller still gets its own
 * command's verdict. The batching is DataLoader's (without its cache: every
 * call is a command of its own, never answered from an earlier one).
 */
export class CommandBatcher {
  private readonly loader: DataLoader<ExecuteInput, ExecuteResult>;

  constructor(
    executor: Pick<CaseCommandExecutor, 'executeMany'>,
    options: CommandBatcherOptions = {},
  ) {
    const waitMs = options.waitMs ?? 5;
    this.loader = new DataLoader<ExecuteInput, ExecuteResult>(
      async (inputs) => {
        options.onBatch?.(inputs.length);
        const settled = await Promise.allSettled(executor.executeMany(inputs));
        // DataLoader rejects a caller only for an Error value; anything else would be its answer.
        return settled.map((s) => (s.status === 'fulfilled' ? s.value : asError(s.reason)));
      },
      {
        cache: false,
        maxBatchSize: Math.max(1, options.maxBatchSize ?? 128),
        batchScheduleFn:
          waitMs > 0
            ? (dispatch) => void setTimeout(dispatch, waitMs)
            : (dispatch) => void setImmediate(dispatch),
      },
    );
  }

  execute(input: ExecuteInput): Promise<ExecuteResult> {
    return this.loader.load(input);
  }
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
