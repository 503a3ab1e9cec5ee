import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { newEvent } from '../event-store.contract';
import { PostgresEventStore } from '../postgres';
import { createPgSqlClient } from '../sql/pg.sql-client';
import type { SqlClient } from '../sql/sql-client';
import { horizonBehind, sqlStoreTail } from './store-verifier';

/**
 * The store's tail ignoring the read horizon (what verify and export compare
 * their cursor with to tell "held back by a transaction elsewhere" from "done")
 * is the newest position as the store orders positions, numerically: sorted
 * as text, sequence 999 came after 1000 and the tail stayed behind the store.
 */
describe('the store tail behind the read horizon (PostgreSQL)', () => {
  let database: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('store_tail');
    sql = createPgSqlClient(database.url, { max: 2 });
    store = await PostgresEventStore.create(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await database.drop();
  });

  it('is the newest event once sequences pass 999', async () => {
    const stream = `tail-${randomUUID()}`;
    // One append, one transaction: sequences 1 … 1,200 under one transaction id.
    const written = await store.append(
      stream,
      Array.from({ length: 1_200 }, () => newEvent()),
      'no-stream',
    );
    const tail = sqlStoreTail(sql);
    expect(await tail()).toEqual(written.position);
    // Read up to the tail, nothing is hidden; from one event before it, something is.
    expect(await horizonBehind(tail, written.position)).toBe(false);
    expect(
      await horizonBehind(tail, { ...written.position, prepare: written.position.prepare - 1n }),
    ).toBe(true);
  });
});
