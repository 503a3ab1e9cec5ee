import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import type { NewEvent } from './event-store.port';
import { EventDataRejectedError, PostgresEventStore } from './postgres.event-store';
import { createPgSqlClient } from './sql/pg.sql-client';
import type { SqlClient } from './sql/sql-client';

const event = (note: string): NewEvent => ({
  eventId: randomUUID(),
  type: 'ContactRecorded',
  data: { note },
  metadata: {
    commandId: randomUUID(),
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { staffId: 'staff-1', role: 'case_manager', careerCenterId: 'cc-1' },
    schemaVersion: 1,
  },
});

/**
 * Group commit gathers concurrent appends into one INSERT; PostgreSQL refuses
 * a whole statement when one row holds a NUL or an unpaired surrogate (jsonb
 * cannot store them). Each append must still get its own verdict: the bad one
 * a clear data refusal, every innocent neighbour written.
 */
describe('PostgreSQL group commit: one verdict per append', () => {
  let database: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('batch_verdicts');
    sql = createPgSqlClient(database.url, { max: 4 });
    // One batch in flight, so the concurrent appends below share a transaction.
    store = await PostgresEventStore.create(sql, { groupCommit: { maxInFlight: 1 } });
  });

  afterAll(async () => {
    await store.close();
    await sql.close();
    await database.drop();
  });

  it.each([
    ['a NUL character', 'before\u0000after'],
    ['a lone surrogate', 'broken \ud800 text'],
  ])(
    '%s in one append fails that append alone; the others in its batch are written',
    async (_, bad) => {
      const streams = Array.from({ length: 40 }, () => `case-${randomUUID()}`);
      const poisoned = 17;
      const answers = await Promise.allSettled(
        streams.map((stream, i) =>
          store.append(stream, [event(i === poisoned ? bad : `innocent ${i}`)], 'no-stream'),
        ),
      );
      const rejected = answers.flatMap((a, i) => (a.status === 'rejected' ? [i] : []));
      expect(rejected).toEqual([poisoned]);
      const refusal = (answers[poisoned] as PromiseRejectedResult).reason as unknown;
      expect(refusal).toBeInstanceOf(EventDataRejectedError);
      for (const [i, stream] of streams.entries()) {
        const stored = await store.readStream(stream);
        expect(stored).toHaveLength(i === poisoned ? 0 : 1);
      }
    },
  );
});
