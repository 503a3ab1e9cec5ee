import { DEFAULT_POLICIES, caseStreamId, type Actor, type CaseCommand } from '@caseledger/domain';
import { caseManager, enrollInActivity, openCase, recordContact } from '@caseledger/domain/testing';
import { PostgresEventStore, createPgSqlClient, type SqlClient } from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { FixedClock } from '../clock/clock';
import { createPolicyLookup } from '../policy/policies';
import { CaseCommandExecutor } from './case-command-executor';

/**
 * The executor keeps folded cases between commands and reads only the events
 * after the cached revision. These tests prove that shortcut changes no answer:
 * other writers' events are seen, a repeated command id appends nothing, and a
 * history that is not the one cached is read whole.
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

  it('a cached case still sees what another writer appended since (the tail is read from the cached revision)', async () => {
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

  it('a stream that is not the history the cache saw (same revision, other events) is read whole', async () => {
    const caseId = randomUUID();
    const a = executor();
    await opened(a, caseId);
    // The store is reset under the long-lived executor and the same case id gets another history.
    await sql.query('DELETE FROM es_events WHERE stream_id = $1', [caseStreamId(caseId)]);
    await sql.query('DELETE FROM es_streams WHERE stream_id = $1', [caseStreamId(caseId)]);
    const b = executor(0);
    await run(b, caseId, openCase({ caseId, program: 'VETERAN' }));
    await run(b, caseId, enrollInActivity());

    const result = await run(a, caseId, recordContact({ id: 'contact-1' }));
    expect(result.state.program).toBe('VETERAN');
    expect(result.revision).toBe(2);
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
