import { DEFAULT_POLICIES } from '@caseledger/domain';
import { enrollInActivity, openCase, recordContact } from '@caseledger/domain/testing';
import { PostgresEventStore, createPgSqlClient, type SqlClient } from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { FixedClock } from '../clock/clock';
import { createPolicyLookup } from '../policy/policies';
import { StaleRevisionError } from './executor.errors';
import {
  concurrently,
  executorSpec,
  expectAppended,
  expectContacts,
  expectEventCount,
  expectLastReadLength,
  expectNoNewEvents,
  expectOneChain,
  expectReads,
  expectRefused,
  expectRepeatOf,
  expectRevision,
  expectStreamLength,
  expectThrown,
  run,
  type CommandOf,
  type CommandStep,
} from '../testing';

/**
 * The executor keeps folded cases between commands and does not read a cached
 * case again: the append names the cached revision, so a stream that moved on
 * elsewhere makes it conflict, and the executor reads the events after the
 * cached revision, folds them on and decides again. These tests prove that
 * shortcut changes no
 * answer: other writers' events are seen, a repeated command id appends
 * nothing and answers with its events in the current schema, and a cached case
 * costs no read at all.
 *
 * Executors by name: `a` and `b` cache (the default size), `off` does not.
 */
describe('CaseCommandExecutor with its folded-state cache (PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;
  const spec = executorSpec(() => store, {
    policyOf: createPolicyLookup(DEFAULT_POLICIES),
    clock: new FixedClock(new Date('2025-01-06T15:00:00Z')),
    executors: { off: { stateCacheSize: 0 } },
  });
  /** The case opened with an active enrollment, by that executor. */
  const opened = (by: string): CommandStep =>
    run(by, (caseId) => openCase({ caseId }), enrollInActivity());
  const contact = (id: string) => recordContact({ id });

  beforeAll(async () => {
    db = await createTestDatabase('executor_cache');
    sql = createPgSqlClient(db.url);
    store = await PostgresEventStore.create(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await db.drop();
  });

  it('a cached case still sees what another writer appended since (the append conflicts, the stream is re-read)', () =>
    spec
      .given(opened('a'), run('b', contact('contact-b')))
      // DUPLICATE_ID: the rule is judged against the other writer's contact too.
      .when(run('a', contact('contact-a'), contact('contact-b')))
      .then(
        expectRevision(3),
        expectContacts(['contact-b', 'contact-a']),
        expectRefused('DUPLICATE_ID', 1),
        expectAppended('ContactRecorded'),
        expectStreamLength(4),
      ));

  it('a repeated command id on a cached case answers with its own events and appends nothing', () => {
    const commandId = randomUUID();
    return spec
      .given(
        opened('a'),
        run('a', [contact('contact-1'), { commandId, as: 'first' }], contact('contact-2')),
      )
      .when(run('a', [contact('contact-1'), { commandId }]))
      .then(expectRepeatOf('first'), expectNoNewEvents(), expectStreamLength(4));
  });

  it('a cached case costs no read: one read for the first command, none after', async () => {
    const first = await spec
      .given(opened('off'))
      .when(run('a', contact('contact-1')))
      .then(expectReads('a', 1));
    const cached = await first
      .when(run('a', contact('contact-2'), contact('contact-3')))
      .then(expectReads('a', 1));
    // Another writer moves the stream on: the next append conflicts and one re-read follows.
    await cached
      .given(run('off', contact('contact-b')))
      .when(run('a', contact('contact-4')))
      .then(
        expectReads('a', 2),
        expectRevision(6),
        expectContacts(['contact-1', 'contact-2', 'contact-3', 'contact-b', 'contact-4']),
      );
  });

  it('a cached case behind the store reads only the events after its revision, and decides on all of them', async () => {
    const behind = await spec
      .given(opened('a'), run('a', contact('contact-1')))
      .given(run('off', contact('contact-b')), run('off', contact('contact-c')))
      // a's append names revision 2 and conflicts; the catch-up read returns the two after it.
      .when(run('a', contact('contact-2')))
      .then(
        expectReads('a', 3),
        expectLastReadLength('a', 2),
        expectRevision(5),
        expectContacts(['contact-1', 'contact-b', 'contact-c', 'contact-2']),
        expectStreamLength(6),
      );
    // The caught-up fold carries the other writer's facts: its contact id is taken.
    await behind
      .when(run('a', contact('contact-b'), contact('contact-3')))
      .then(expectRefused('DUPLICATE_ID', 0), expectReads('a', 3), expectRevision(6, 1));
  });

  it('If-Match against a cached case that is behind the store is judged on a fresh read', () =>
    spec
      // The caller read revision 2 (with the other writer's contact); a's cache is at 1.
      .given(opened('a'), run('off', contact('contact-b')))
      .when(
        run(
          'a',
          [contact('contact-a'), { expectedRevision: 2 }],
          [contact('contact-c'), { expectedRevision: 2 }],
        ),
      )
      .then(expectRevision(3), expectThrown(StaleRevisionError, 1)));

  it('concurrent commands on one case through two cached executors all land once, in one chain', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `contact-${i}`);
    const landed = await spec
      .given(opened('a'), run('b', contact('warm-b')))
      .when(
        concurrently(
          ...ids.map((id, i): [string, CommandOf] => [i % 2 === 0 ? 'a' : 'b', contact(id)]),
        ),
      )
      .then(expectOneChain(), expectEventCount('ContactRecorded', 9));
    await landed.when(run('a', contact('contact-last'))).then(expectContacts(10));
  });

  it('with the cache off the executor answers the same', () =>
    spec
      .given(opened('off'), run('a', contact('contact-1')))
      .when(run('off', contact('contact-2')))
      .then(expectRevision(3), expectContacts(2)));
});
