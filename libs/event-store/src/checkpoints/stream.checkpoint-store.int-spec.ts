import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { PostgresEventStore } from '../postgres.event-store';
import { createPgSqlClient } from '../sql/pg.sql-client';
import type { SqlClient } from '../sql/sql-client';
import { CHECKPOINT_STREAM, CheckpointSigner } from './checkpoint';
import { CheckpointConflictError } from './checkpoint-store.port';
import { Checkpointer } from './checkpointer';
import { verifyStore } from './store-verifier';
import { StreamCheckpointStore } from './stream.checkpoint-store';
import { untilReadable } from './visible.testing';

/**
 * The checkpoint store EventStoreDB uses: checkpoints as events of one stream,
 * written through the EventStore port only (so it runs here on the PostgreSQL
 * adapter; the EventStoreDB adapter itself is contract-tested with a server).
 * The checkpoint stream is left out of the events it covers.
 */
describe('checkpoints kept in a stream of the event store (the EventStoreDB way)', () => {
  let database: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;
  const signer = CheckpointSigner.generate();

  beforeAll(async () => {
    database = await createTestDatabase('stream_checkpoints');
    sql = createPgSqlClient(database.url, { max: 4 });
    store = await PostgresEventStore.create(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await database.drop();
  });

  it('signs, lists and verifies; the checkpoint events are not covered; a second writer of a sequence loses', async () => {
    const streamId = `case-${randomUUID()}`;
    const append = async (n: number) => {
      for (let i = 0; i < n; i += 1) {
        const revision = (await store.readStream(streamId)).length;
        await store.append(
          streamId,
          [
            {
              eventId: randomUUID(),
              type: 'NoteTaken',
              data: { revision },
              metadata: {
                commandId: randomUUID(),
                correlationId: randomUUID(),
                causationId: randomUUID(),
                actor: { staffId: 's', role: 'case_manager', careerCenterId: 'cc-1' },
                schemaVersion: 1,
              },
            },
          ],
          revision === 0 ? 'no-stream' : revision - 1,
        );
      }
    };
    const checkpoints = new StreamCheckpointStore(store);
    const checkpointer = new Checkpointer(store, checkpoints, signer, {
      everyEvents: 3,
      everySeconds: 3600,
    });
    await append(4);
    await untilReadable(store, 4);
    await checkpointer.tick({ force: true });
    await append(3);
    // 7 case events and the 2 checkpoint events written so far.
    await untilReadable(store, 9);
    await checkpointer.tick({ force: true });
    const listed = await checkpoints.list();
    expect(listed.map((c) => [c.sequence, c.eventCount])).toEqual([
      [1, 3],
      [2, 1],
      [3, 3],
    ]);
    expect((await store.readStream(CHECKPOINT_STREAM)).length).toBe(3);
    const report = await verifyStore(store, checkpoints, {
      publicKey: signer.publicKey,
      intervalEvents: 3,
    });
    expect(report.failures).toEqual([]);
    expect(report).toMatchObject({ ok: true, events: 7, checkpoints: 3 });
    await expect(checkpoints.append({ ...listed[2] })).rejects.toBeInstanceOf(
      CheckpointConflictError,
    );
  });
});
