import type { EventStore } from '../event-store.port';
import { PostgresEventStore } from '../postgres';
import type { SqlClient } from '../sql/sql-client';
import type { CheckpointStore } from './checkpoint-store.port';
import { SqlCheckpointStore } from './sql.checkpoint-store';
import { sqlStoreTail, sqlStreamHeads, type StoreTail, type StreamHeads } from './store-verifier';
import { StreamCheckpointStore } from './stream.checkpoint-store';

/**
 * The checkpoint store that goes with an event store: a table beside the events
 * on PostgreSQL/PGlite, a stream of the log on EventStoreDB. `heads` is the
 * store's own record of each stream's newest revision (PostgreSQL only).
 */
export async function openCheckpointStore(
  store: EventStore,
  sql: SqlClient,
): Promise<{ checkpoints: CheckpointStore; heads?: StreamHeads; tail?: StoreTail }> {
  if (store instanceof PostgresEventStore) {
    return {
      checkpoints: await SqlCheckpointStore.create(sql),
      heads: sqlStreamHeads(sql),
      tail: sqlStoreTail(sql),
    };
  }
  return { checkpoints: new StreamCheckpointStore(store) };
}
