import { Client } from 'pg';
import { Registry } from 'prom-client';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import {
  InProcessLeaderLease,
  PostgresLeaderLease,
  leaseKey,
  type LeaderLease,
  type LeaseCallbacks,
} from './leader-lease';
import { LeaderLeases } from './leader-leases';

const RETRY_MS = 100;

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A consumer that records whether it runs; `running` must never be true on two at once. */
class FakeConsumer implements LeaseCallbacks {
  running = false;
  starts = 0;
  stops = 0;
  onAcquired(): Promise<void> {
    this.running = true;
    this.starts++;
    return Promise.resolve();
  }
  onLost(): Promise<void> {
    this.running = false;
    this.stops++;
    return Promise.resolve();
  }
}

describe('LeaderLease (PostgreSQL session advisory lock)', () => {
  let database: TestDatabase;
  let admin: Client;
  const opened: LeaderLease[] = [];

  const lease = (name: string): LeaderLease => {
    const made = new PostgresLeaderLease(database.url, name, { retryMs: RETRY_MS });
    opened.push(made);
    return made;
  };

  /** Server-side truth: sessions holding the advisory lock of `name`. */
  const holders = async (name: string): Promise<number[]> => {
    const key = BigInt(leaseKey(name));
    const unsigned = BigInt.asUintN(64, key);
    const result = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`,
      [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
    );
    return result.rows.map((row) => row.pid);
  };

  const sessions = async (name: string): Promise<number> => {
    const result = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1`,
      [`caseledger-lease-${name}`],
    );
    return Number(result.rows[0]?.n ?? 0);
  };

  beforeAll(async () => {
    database = await createTestDatabase('lease');
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((made) => made.close()));
  });

  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it('two leases of the same consumer: exactly one holds and runs its consumer', async () => {
    const [a, b] = [lease('projection-x'), lease('projection-x')];
    const [ca, cb] = [new FakeConsumer(), new FakeConsumer()];
    a.run(ca);
    b.run(cb);
    await until(() => a.held || b.held, 'a holder');
    await until(async () => (await sessions('projection-x')) === 2, 'both campaigning');
    // Several retry rounds of the standby, then the same answer.
    await pause(RETRY_MS * 4);
    expect([a.held, b.held].filter(Boolean)).toHaveLength(1);
    expect([ca.running, cb.running].filter(Boolean)).toHaveLength(1);
    expect(ca.starts + cb.starts).toBe(1);
    expect(await holders('projection-x')).toHaveLength(1);
  });

  it('when the holder releases, the standby takes over, and the old holder stopped first', async () => {
    const [a, b] = [lease('reactor-y'), lease('reactor-y')];
    const [ca, cb] = [new FakeConsumer(), new FakeConsumer()];
    a.run(ca);
    await until(() => a.held, 'a holds');
    b.run(cb);
    await until(async () => (await sessions('reactor-y')) === 2, 'b campaigning');
    expect(b.held).toBe(false);

    await a.close();
    expect(ca.running).toBe(false);
    expect(ca.stops).toBe(1);
    await until(() => b.held, 'b takes over');
    expect(cb.running).toBe(true);
    expect(await holders('reactor-y')).toHaveLength(1);
  });

  it('when the holder’s connection dies, it stops its consumer and the standby takes over', async () => {
    const [a, b] = [lease('projection-z'), lease('projection-z')];
    const [ca, cb] = [new FakeConsumer(), new FakeConsumer()];
    a.run(ca);
    await until(() => a.held, 'a holds');
    b.run(cb);
    await until(async () => (await sessions('projection-z')) === 2, 'b campaigning');
    const [pid] = await holders('projection-z');
    expect(pid).toBeDefined();

    await admin.query('SELECT pg_terminate_backend($1)', [pid]);

    await until(() => !a.held && !ca.running, 'a notices the lost connection');
    await until(() => b.held || a.held, 'a new holder');
    // Exactly one consumer runs again (either may win the next round).
    await until(() => [ca.running, cb.running].filter(Boolean).length === 1, 'one consumer');
    expect([a.held, b.held].filter(Boolean)).toHaveLength(1);
    expect(await holders('projection-z')).toHaveLength(1);
  });

  it('a lease given up by a failing consumer start is retried, and leases of different consumers do not exclude each other', async () => {
    const [p, r] = [lease('consumer-p'), lease('consumer-r')];
    let attempts = 0;
    const flaky: LeaseCallbacks = {
      onAcquired: () => {
        attempts++;
        return attempts < 2 ? Promise.reject(new Error('not yet')) : Promise.resolve();
      },
      onLost: () => Promise.resolve(),
    };
    p.run(flaky);
    r.run(new FakeConsumer());
    await until(() => p.held && r.held && attempts >= 2, 'both held');
    expect(attempts).toBe(2);
  });

  it('LeaderLeases reports caseledger_lease_held: 1 on the holder, 0 on the standby', async () => {
    const registries = [new Registry(), new Registry()];
    const factories = registries.map(
      (registry) => new LeaderLeases(database.url, registry, { retryMs: RETRY_MS }),
    );
    const [a, b] = factories.map((factory) => factory.create('deadline-reactor'));
    opened.push(a, b);
    a.run(new FakeConsumer());
    await until(() => a.held, 'a holds');
    b.run(new FakeConsumer());
    await until(async () => (await sessions('deadline-reactor')) === 2, 'b campaigning');
    const held = async (registry: Registry): Promise<number | undefined> =>
      (await registry.getSingleMetric('caseledger_lease_held')!.get()).values.find(
        (value) => value.labels.consumer === 'deadline-reactor',
      )?.value;
    expect(await held(registries[0])).toBe(1);
    expect(await held(registries[1])).toBe(0);
    await Promise.all(factories.map((factory) => factory.closeAll()));
    expect(await held(registries[0])).toBe(0);
  });
});

describe('LeaderLease on PGlite (one process per data dir)', () => {
  it('is held at once and stops its consumer on close', async () => {
    const made = new InProcessLeaderLease('projection-caseload');
    const consumer = new FakeConsumer();
    made.run(consumer);
    await until(() => consumer.running, 'consumer started');
    expect(made.held).toBe(true);
    await made.close();
    expect(made.held).toBe(false);
    expect(consumer.running).toBe(false);
  });
});
