import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store.port';
import { CHECKPOINT_STREAM, type SignedCheckpoint } from './checkpoint';
import { CheckpointConflictError, type CheckpointStore } from './checkpoint-store.port';

const CHECKPOINT_EVENT = 'StoreCheckpointSigned';

/**
 * Checkpoints as events of one stream of the event store (EventStoreDB, which
 * has no table beside its log). Written through the EventStore port, so only
 * the EventStoreDB adapter talks to its client; checkpoint n is revision n-1,
 * appended with that expected revision, so two writers cannot both succeed.
 * The checkpoint stream is never covered by a checkpoint (`isCoveredEvent`).
 */
export class StreamCheckpointStore implements CheckpointStore {
  constructor(private readonly store: EventStore) {}

  async list(): Promise<SignedCheckpoint[]> {
    const events = await this.store.readStream(CHECKPOINT_STREAM);
    return events.filter((e) => e.type === CHECKPOINT_EVENT).map((e) => e.data as SignedCheckpoint);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const all = await this.list();
    return all[all.length - 1];
  }

  async append(checkpoint: SignedCheckpoint): Promise<void> {
    const expected = checkpoint.sequence === 1 ? 'no-stream' : checkpoint.sequence - 2;
    try {
      await this.store.append(
        CHECKPOINT_STREAM,
        [
          {
            eventId: randomUUID(),
            type: CHECKPOINT_EVENT,
            data: checkpoint,
            metadata: {
              commandId: `checkpoint-${checkpoint.sequence}`,
              correlationId: `checkpoint-${checkpoint.sequence}`,
              causationId: `checkpoint-${checkpoint.sequence}`,
              actor: { staffId: 'system:checkpointer', role: 'system', careerCenterId: '-' },
              schemaVersion: 1,
            },
          },
        ],
        expected,
      );
    } catch (error) {
      if ((error as Error).name === 'ConcurrencyError') {
        throw new CheckpointConflictError(checkpoint.sequence);
      }
      throw error;
    }
  }
}
