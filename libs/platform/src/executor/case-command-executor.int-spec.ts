import { DEFAULT_POLICIES, caseStreamId, type Actor, type CaseCommand } from '@caseledger/domain';
import { caseManager, enrollInActivity, openCase, recordContact } from '@caseledger/domain/testing';
import { PostgresEventStore, createPgSqlClient, type SqlClient } from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { FixedClock } from '../clock/clock';
import { createPolicyLookup } from '../policy/policies';
import { CaseCommandExecutor } from './case-command-executor';
import { StaleRevisionError } from './executor.errors';

/**
 * The executor keeps folded cases between commands and does not read a cached
 * case again: the append names the cached revision, so a stream that moved on
 * elsewhere makes it conflict, and the executor drops the entry, reads the
 * stream whole and decides again. These tests prove that shortcut changes no
 * answer: other writers' events are seen, a repeated command id appends
 * nothing and answers with its events in the current schema, and a cached case
 * costs no read at all.
 */
describe('CaseCommandExecutor with its folded-state cache (PostgreSQL)', () => {
  let db: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;
  const policyOf = createPolicyLookup(DEFAULT_POLICIES);
  const clock = new FixedClock(new Date('2025-01-06T15:00:00Z'));
  const actor: Actor = caseManager();
  const executor = (stateCacheSize?: number): CaseCommandExecutor =>
    new CaseCommandExecutor(store, policyOf, clock, undefined, {
      ...(stateCacheSize !== undefined ? { stateCacheSize } : {}),
    });
  const run = (
    on: CaseCommandExecutor,
    caseId: string,
    command: CaseCommand,
    commandId: string = randomUUID(),
  ) => on.execute({ caseId, command, actor, commandId, correlationId: commandId });
  const opened = async (on: CaseCommandExecutor, caseId: string): Promise<void> => {
    await run(on, caseId, openCase({ caseId }));
    await run(on, caseId, enrollInActivity());
  };

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

  it('a cached case still sees what another writer appended since (the append conflicts, the stream is re-read)', async () => {
    const caseId = randomUUID();
    const a = executor();
    const b = executor();
    await opened(a, caseId);
    await run(b, caseId, recordContact({ id: 'contact-b' }));

    const result = await run(a, caseId, recordContact({ id: 'contact-a' }));
    expect(result.revision).toBe(3);
    expect(result.state.contacts.map((c) => c.contactId)).toEqual(['contact-b', 'contact-a']);
    // DUPLICATE_ID: the rule is judged against the other writer's contact too.
    await expect(run(a, caseId, recordContact({ id: 'contact-b' }))).rejects.toMatchObject({
      ruleId: 'DUPLICATE_ID',
    });
    expect(await store.readStream(caseStreamId(caseId))).toHaveLength(4);
  });

  it('a repeated command id on a cached case answers with its own events and appends nothing', async () => {
    const caseId = randomUUID();
    const a = executor();
    await opened(a, caseId);
    const commandId = randomUUID();
    const first = await run(a, caseId, recordContact({ id: 'contact-1' }), commandId);
    await run(a, caseId, recordContact({ id: 'contact-2' }));

    const again = await run(a, caseId, recordContact({ id: 'contact-1' }), commandId);
    expect(again.repeated).toBe(true);
    expect(again.revision).toBe(first.revision);
    expect(again.events).toEqual(first.events);
    expect(await store.readStream(caseStreamId(caseId))).toHaveLength(4);
  });

  it('a cached case costs no read: one read for the first command, none after', async () => {
    const caseId = randomUUID();
    let reads = 0;
    const counting = new Proxy(store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (key === 'readStream' && typeof value === 'function')
          return (...args: unknown[]) => {
            reads++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
    const a = new CaseCommandExecutor(counting, policyOf, clock);
    await opened(executor(0), caseId);
    await run(a, caseId, recordContact({ id: 'contact-1' }));
    expect(reads).toBe(1);
    await run(a, caseId, recordContact({ id: 'contact-2' }));
    await run(a, caseId, recordContact({ id: 'contact-3' }));
    expect(reads).toBe(1);
    // Another writer moves the stream on: the next append conflicts and one re-read follows.
    await run(executor(0), caseId, recordContact({ id: 'contact-b' }));
    const result = await run(a, caseId, recordContact({ id: 'contact-4' }));
    expect(reads).toBe(2);
    expect(result.revision).toBe(6);
    expect(result.state.contacts.map((c) => c.contactId)).toEqual([
      'contact-1',
      'contact-2',
      'contact-3',
      'contact-b',
      'contact-4',
    ]);
  });

  it('If-Match against a cached case that is behind the store is judged on a fresh read', async () => {
    const caseId = randomUUID();
    const a = executor();
    await opened(a, caseId);
    await run(executor(0), caseId, recordContact({ id: 'contact-b' }));
    // The caller read revision 2 (with the other writer's contact); a's cache is at 1.
    const result = await a.execute({
      caseId,
      command: recordContact({ id: 'contact-a' }),
      actor,
      commandId: randomUUID(),
      correlationId: randomUUID(),
      expectedRevision: 2,
    });
    expect(result.revision).toBe(3);
    await expect(
      a.execute({
        caseId,
        command: recordContact({ id: 'contact-c' }),
        actor,
        commandId: randomUUID(),
        correlationId: randomUUID(),
        expectedRevision: 2,
      }),
    ).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('concurrent commands on one case through two cached executors all land once, in one chain', async () => {
    const caseId = randomUUID();
    const a = executor();
    const b = executor();
    await opened(a, caseId);
    await run(b, caseId, recordContact({ id: 'warm-b' }));
    const ids = Array.from({ length: 8 }, (_, i) => `contact-${i}`);
    await Promise.all(ids.map((id, i) => run(i % 2 === 0 ? a : b, caseId, recordContact({ id }))));

    const events = await store.readStream(caseStreamId(caseId));
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'ContactRecorded')).toHaveLength(9);
    expect(await store.verify(caseStreamId(caseId))).toMatchObject({ valid: true });
    const last = await run(a, caseId, recordContact({ id: 'contact-last' }));
    expect(last.state.contacts).toHaveLength(10);
  });

  it('with the cache off the executor answers the same', async () => {
    const caseId = randomUUID();
    const off = executor(0);
    await opened(off, caseId);
    await run(executor(), caseId, recordContact({ id: 'contact-1' }));
    const result = await run(off, caseId, recordContact({ id: 'contact-2' }));
    expect(result.revision).toBe(3);
    expect(result.state.contacts).toHaveLength(2);
  });
});
