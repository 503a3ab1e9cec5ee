import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import {
  DEFAULT_POLICIES,
  PERSONAL_DATA_DISPOSED,
  caseStreamId,
  type Actor,
  type CaseCommand,
} from '@caseledger/domain';
import {
  admin,
  approveSuspension,
  caseManager,
  enrollInActivity,
  recordContact,
  supervisor,
  suspendCase,
  date,
} from '@caseledger/domain/testing';
import {
  PostgresEventStore,
  createPgSqlClient,
  openPgliteSqlClient,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import { createTestDatabase, pgliteDataDir } from '@caseledger/testing';
import { FixedClock } from '../clock/clock';
import { CaseCommandExecutor } from '../executor/case-command-executor';
import { foldRecorded } from '../executor/domain-bridge';
import { createPolicyLookup } from '../policy/policies';
import { CustomerDisposal } from './customer-disposal';
import { isEnvelope } from './envelope';
import { PersonalDataKeys, masterKeyRing } from './personal-data-keys';
import { PersonalDataEventStore } from './personal-data.event-store';

const DAY_MS = 86_400_000;
const masterText = (): string => randomBytes(32).toString('base64');

interface World {
  sql: SqlClient;
  raw: PostgresEventStore;
  close(): Promise<void>;
}

async function openWorld(kind: 'postgres' | 'pglite'): Promise<World> {
  if (kind === 'postgres') {
    const db = await createTestDatabase('personal_data');
    const sql = createPgSqlClient(db.url, { max: 4 });
    const raw = await PostgresEventStore.create(sql, { pollIntervalMs: 10 });
    return {
      sql,
      raw,
      async close() {
        await raw.close();
        await sql.close();
        await db.drop();
      },
    };
  }
  const dir = await pgliteDataDir('personal-data');
  const sql = await openPgliteSqlClient(dir);
  const raw = await PostgresEventStore.create(sql, { pollIntervalMs: 10 });
  return {
    sql,
    raw,
    async close() {
      await raw.close();
      await sql.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The per-customer encryption and its key life cycle against real PostgreSQL
 * and PGlite (README "Personal data"): rotation re-wraps keys without
 * touching an event, a stream written in clear before encryption keeps
 * verifying and takes encrypted events from then on, and the retention rule
 * is `closedOn + PERSONAL_DATA_RETENTION_DAYS ≤ today`.
 */
describe.each(['postgres', 'pglite'] as const)('personal data keys and encryption (%s)', (kind) => {
  let world: World;
  const policyOf = createPolicyLookup(DEFAULT_POLICIES);
  const clock = new FixedClock(new Date('2025-03-03T15:00:00Z'));
  // One database, one master key at a time (the rotation test moves it on).
  let master = masterText();

  const encrypted = (masters: string, previous: string[] = []): PersonalDataEventStore =>
    new PersonalDataEventStore(
      world.raw,
      new PersonalDataKeys(world.sql, masterKeyRing(masters, previous)),
    );
  const run = (
    store: EventStore,
    caseId: string,
    command: CaseCommand,
    actor: Actor = caseManager(),
  ) =>
    new CaseCommandExecutor(store, policyOf, clock, undefined, { stateCacheSize: 0 }).execute({
      caseId,
      command,
      actor,
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
  const openClosedCase = async (
    store: EventStore,
    customer: { id: string; firstName: string; lastName: string },
  ): Promise<string> => {
    const caseId = randomUUID();
    await run(store, caseId, {
      type: 'OpenCase',
      data: {
        caseId,
        customer,
        program: 'WIOA_ADULT',
        careerCenterId: 'cc-springfield',
        localAreaId: 'MO-DEFAULT',
        caseManagerId: 'staff-cm-1',
        openedOn: date('2025-02-03'),
      },
    });
    await run(store, caseId, enrollInActivity({ on: date('2025-02-03') }));
    await run(store, caseId, recordContact({ on: date('2025-02-20'), id: 'c-1' }));
    await run(store, caseId, suspendCase());
    await run(store, caseId, approveSuspension(), supervisor());
    return caseId;
  };
  const storedHashes = async (caseId: string): Promise<string[]> =>
    (await world.raw.readStream(caseStreamId(caseId))).map((e) => e.hash);
  const namesInEvents = async (needle: string): Promise<number> =>
    Number(
      (
        await world.sql.query<{ n: string | number }>(
          'SELECT count(*) AS n FROM es_events e WHERE position($1 in e::text) > 0',
          [needle],
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    world = await openWorld(kind);
  });
  afterAll(async () => {
    await world?.close();
  });

  it("readStreams decrypts several customers' cases at once as readStream does each; a disposed key reads as PERSONAL_DATA_DISPOSED", async () => {
    const store = encrypted(master);
    const customers = ['Ada', 'Grace', 'Edsger'].map((firstName) => ({
      id: `cust-${randomUUID()}`,
      firstName,
      lastName: `Batch-${randomUUID().slice(0, 6)}`,
    }));
    const caseIds = await Promise.all(customers.map((c) => openClosedCase(store, c)));
    const disposed = caseIds[2];
    await new CustomerDisposal(
      store,
      new CaseCommandExecutor(store, policyOf, clock),
      policyOf,
      clock,
      0,
    ).dispose({
      customerId: customers[2].id,
      reason: 'retention over',
      retentionRule: 'schedule',
      actor: admin(),
      correlationId: randomUUID(),
    });
    // A fresh decorator: nothing cached, every key looked up by the batch.
    const fresh = encrypted(master);
    const streams = await fresh.readStreams(caseIds.map(caseStreamId));
    for (const caseId of caseIds) {
      const stream = streams.get(caseStreamId(caseId))!;
      expect(stream).toEqual(await store.readStream(caseStreamId(caseId)));
    }
    const openedOf = (caseId: string) => foldRecorded(streams.get(caseStreamId(caseId))!).customer;
    expect(openedOf(caseIds[0])).toMatchObject({ firstName: 'Ada' });
    expect(openedOf(caseIds[1])).toMatchObject({ firstName: 'Grace' });
    expect(openedOf(disposed)).toMatchObject({ firstName: PERSONAL_DATA_DISPOSED });
    expect(await namesInEvents(customers[0].lastName)).toBe(0);
  });

  it('master key rotation re-wraps the data keys and rewrites no event; the new master alone then reads everything', async () => {
    const k1 = master;
    const k2 = masterText();
    const name = `Rotaria${randomUUID().slice(0, 6)}`;
    const caseId = await openClosedCase(encrypted(k1), {
      id: `cust-${name}`,
      firstName: name,
      lastName: 'Keyes',
    });
    const hashes = await storedHashes(caseId);
    expect(await namesInEvents(name)).toBe(0);

    const rotating = encrypted(k2, [k1]);
    // During the rotation the earlier master still unwraps.
    expect(foldRecorded(await rotating.readStream(caseStreamId(caseId))).customer?.firstName).toBe(
      name,
    );
    const rotated = await rotating.keys.rotate();
    expect(rotated.rewrapped).toBeGreaterThanOrEqual(2); // the lookup key and this customer's key
    expect((await rotating.keys.status()).liveKeysByMaster).toEqual({
      [masterKeyRing(k2).current.id]: rotated.keysUnderCurrent,
    });
    expect((await rotating.keys.rotate()).rewrapped).toBe(0);

    const afterwards = encrypted(k2);
    expect(
      foldRecorded(await afterwards.readStream(caseStreamId(caseId))).customer?.firstName,
    ).toBe(name);
    expect(await storedHashes(caseId)).toEqual(hashes);
    expect((await world.raw.verify(caseStreamId(caseId))).valid).toBe(true);
    // The old master alone no longer unwraps anything (it can be retired).
    await expect(encrypted(k1).readStream(caseStreamId(caseId))).rejects.toThrow(/not configured/);
    master = k2;
  });

  it('migration: a stream written in clear keeps verifying, takes encrypted events from then on, and its disposal is refused (nothing appended)', async () => {
    const k = master;
    const name = `Legacia${randomUUID().slice(0, 6)}`;
    const customer = { id: `cust-${name}`, firstName: name, lastName: 'Plain' };
    const caseId = randomUUID();
    // Before encryption was configured: the plain adapter.
    await run(world.raw, caseId, {
      type: 'OpenCase',
      data: {
        caseId,
        customer,
        program: 'WIOA_ADULT',
        careerCenterId: 'cc-springfield',
        localAreaId: 'MO-DEFAULT',
        caseManagerId: 'staff-cm-1',
        openedOn: date('2025-02-03'),
      },
    });
    const store = encrypted(k);
    await run(store, caseId, enrollInActivity({ on: date('2025-02-03') }));
    await run(store, caseId, recordContact({ on: date('2025-02-20'), id: 'c-1' }));
    const raw = await world.raw.readStream(caseStreamId(caseId));
    expect((raw[0].data as { customer: { firstName: unknown } }).customer.firstName).toBe(name);
    expect(isEnvelope((raw[2].data as { progress: unknown }).progress)).toBe(true);
    expect((await world.raw.verify(caseStreamId(caseId))).valid).toBe(true);
    expect(
      foldRecorded(await store.readStream(caseStreamId(caseId))).contacts[0].progress,
    ).not.toEqual(expect.objectContaining({ pd: 1 }));

    await run(store, caseId, suspendCase());
    await run(store, caseId, approveSuspension(), supervisor());
    const before = raw.length + 2;
    const disposal = new CustomerDisposal(
      store,
      new CaseCommandExecutor(store, policyOf, clock),
      policyOf,
      clock,
      0,
    );
    await expect(
      disposal.dispose({
        customerId: customer.id,
        reason: 'retention over',
        retentionRule: 'schedule 3y',
        actor: admin(),
        correlationId: randomUUID(),
      }),
    ).rejects.toMatchObject({
      ruleId: 'RETENTION',
      kind: 'conflict',
      message: expect.stringMatching(/in clear/),
    });
    expect(await world.raw.readStream(caseStreamId(caseId))).toHaveLength(before);
  });

  it('the retention boundary: closedOn + days ≤ today (in the area zone); a day earlier is refused with nothing appended', async () => {
    const k = master;
    const store = encrypted(k);
    const name = `Bounda${randomUUID().slice(0, 6)}`;
    const customer = { id: `cust-${name}`, firstName: name, lastName: 'Ry' };
    clock.set(new Date('2025-03-03T15:00:00Z'));
    const caseId = await openClosedCase(store, customer);
    const closedOn = foldRecorded(await store.readStream(caseStreamId(caseId))).closedOn;
    expect(closedOn).toBe('2025-03-03');
    const disposal = () =>
      new CustomerDisposal(
        store,
        new CaseCommandExecutor(store, policyOf, clock),
        policyOf,
        clock,
        10,
      ).dispose({
        customerId: customer.id,
        reason: 'retention over',
        retentionRule: 'schedule',
        actor: admin(),
        correlationId: randomUUID(),
      });
    // 2025-03-12 22:00 in Chicago is still the 12th: closedOn + 10 = the 13th.
    clock.set(new Date(Date.parse('2025-03-13T04:00:00Z')));
    await expect(disposal()).rejects.toMatchObject({ ruleId: 'RETENTION' });
    expect(await world.raw.readStream(caseStreamId(caseId))).toHaveLength(5);
    clock.set(new Date(Date.parse('2025-03-13T04:00:00Z') + DAY_MS / 4));
    const done = await disposal();
    expect(done).toMatchObject({ outcome: 'DISPOSED', disposedOn: '2025-03-13' });
    const after = await store.readStream(caseStreamId(caseId));
    expect(after).toHaveLength(6);
    expect(after[5]).toMatchObject({
      type: 'PersonalDataDisposed',
      data: { caseId, customerId: PERSONAL_DATA_DISPOSED, disposedOn: '2025-03-13' },
    });
    const state = foldRecorded(after);
    expect(state.customer).toEqual({
      id: PERSONAL_DATA_DISPOSED,
      firstName: PERSONAL_DATA_DISPOSED,
      lastName: PERSONAL_DATA_DISPOSED,
    });
    expect(state.contacts[0].progress).toBe(PERSONAL_DATA_DISPOSED);
    expect(state).toMatchObject({ status: 'CLOSED', closedOn: '2025-03-03' });
    expect(await namesInEvents(name)).toBe(0);
    expect((await world.raw.verify(caseStreamId(caseId))).valid).toBe(true);
    // A fresh process (no cached key) reads the marker too, never an error.
    expect(
      foldRecorded(await encrypted(k).readStream(caseStreamId(caseId))).customer?.lastName,
    ).toBe(PERSONAL_DATA_DISPOSED);
  });
});
