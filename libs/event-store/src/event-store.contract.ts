import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  comparePositions,
  positionToString,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from './event-store.port';
import { computeEventHash } from './hash-chain';
import { runMigrations } from './migrations';
import { migrateEventStore } from './postgres';
import type { SqlClient } from './sql/sql-client';

/**
 * The one contract every event store adapter passes (DESIGN.md "The event store
 * is a port"; one contract suite). Each adapter's int-spec calls
 * `eventStoreContract` with a factory for its store; the SQL-level checks
 * (tampering with a row, migrations) run when the factory hands in its
 * SqlClient.
 */
export interface ContractSubject {
  /** A store on the adapter's database; called again to simulate a restart. */
  open(): Promise<EventStore>;
  /** The store's SQL client (PostgreSQL/PGlite): enables tamper and migration checks. */
  sql?: SqlClient;
  /** Whether concurrent appends are written in one transaction (group commit). */
  groupCommit: boolean;
  /** Catch-up scenario size: concurrent writers × events each. */
  writers: number;
  eventsPerWriter: number;
}

export interface ContractFactory {
  /** The store keeps its events in SQL tables this suite may alter (PostgreSQL/PGlite). */
  sqlChecks: boolean;
  setup(): Promise<ContractSubject>;
  teardown(): Promise<void>;
}

let eventCounter = 0;

/** A new event with fresh ids (also for the adapters' own specs). */
export function newEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): NewEvent {
  eventCounter += 1;
  return {
    eventId: randomUUID(),
    type,
    data: { n: eventCounter, note: 'contract', nested: { b: 2, a: [1, 'x', null] }, ...data },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { staffId: 'staff-1', role: 'case_manager', careerCenterId: 'cc-1' },
      schemaVersion: 1,
    },
  };
}

const events = (count: number): NewEvent[] => Array.from({ length: count }, () => newEvent());
const streamName = (label: string): string => `contract-${label}-${randomUUID()}`;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, what: string, limitMs = 50_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await pause(10);
  }
}

export function eventStoreContract(name: string, factory: ContractFactory): void {
  describe(`event store contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const extraStores: EventStore[] = [];

    beforeAll(async () => {
      subject = await factory.setup();
      store = await subject.open();
    });

    afterAll(async () => {
      for (const extra of extraStores) await extra.close();
      await store?.close();
      await factory.teardown();
    });

    async function openAnother(): Promise<EventStore> {
      const another = await subject.open();
      extraStores.push(another);
      return another;
    }

    it('appends events at revisions counting from 0 and reads them back in order with their metadata', async () => {
      const stream = streamName('basic');
      const written = events(3);
      const first = await store.append(stream, written.slice(0, 2), 'no-stream');
      const second = await store.append(stream, written.slice(2), 1);
      expect(first.nextRevision).toBe(1);
      expect(second.nextRevision).toBe(2);
      expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);

      const read = await store.readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(read.map((event) => event.eventId)).toEqual(written.map((event) => event.eventId));
      expect(read[2].data).toEqual(written[2].data);
      expect(read[2].metadata).toMatchObject({
        ...written[2].metadata,
        eventId: written[2].eventId,
      });
      expect(Number.isNaN(Date.parse(read[2].metadata.recordedAt))).toBe(false);
      expect(read[2].position).toEqual(second.position);
      expect(await store.readStream(stream, { fromRevision: 1 })).toHaveLength(2);
      expect(await store.readStream(streamName('missing'))).toEqual([]);
    });

    it('readStreams answers several streams at once, each exactly as readStream reads it; a missing stream is []', async () => {
      const [a, b, c, missing] = ['many-a', 'many-b', 'many-c', 'many-missing'].map(streamName);
      // Interleaved, so the global order mixes the streams.
      await store.append(a, events(2), 'no-stream');
      await store.append(b, events(1), 'no-stream');
      await store.append(c, events(1), 'no-stream');
      await store.append(a, events(1), 1);
      await store.append(c, events(1), 0);

      const read = await store.readStreams([c, missing, a, b, a]);
      expect([...read.keys()].sort()).toEqual([a, b, c, missing].sort());
      expect(read.get(missing)).toEqual([]);
      for (const stream of [a, b, c]) {
        expect(read.get(stream)).toEqual(await store.readStream(stream));
      }
      expect(read.get(a)!.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(read.get(c)!.map((event) => event.streamId)).toEqual([c, c]);
      expect((await store.readStreams([])).size).toBe(0);
    });

    it('optimistic concurrency: of 50 concurrent appends at the same expected revision exactly one wins and revisions stay gapless', async () => {
      const stream = streamName('race');
      await store.append(stream, events(1), 'no-stream');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.append(stream, events(2), 0)),
      );
      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(49);
      for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
      const read = await store.readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect((await store.verify(stream)).valid).toBe(true);
    });

    it('optimistic concurrency: of 50 concurrent creations of one stream (no-stream), through two store instances, exactly one wins', async () => {
      const other = await openAnother();
      const stream = streamName('create-race');
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) =>
          (index % 2 === 0 ? store : other).append(stream, events(1), 'no-stream'),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
      }
      expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0]);
    });

    it('a wrong expected revision is a ConcurrencyError naming the stream and writes nothing', async () => {
      const stream = streamName('wrong');
      await store.append(stream, events(2), 'no-stream');
      await expect(store.append(stream, events(1), 0)).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(store.append(stream, events(1), 'no-stream')).rejects.toMatchObject({
        streamId: stream,
        kind: 'conflict',
      });
      await expect(store.append(streamName('absent'), events(1), 3)).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      expect(await store.readStream(stream)).toHaveLength(2);
      const any = await store.append(stream, events(1), 'any');
      expect(any.nextRevision).toBe(2);
    });

    it('idempotent retry: re-appending the same event ids at the same expected revision returns the original result and writes nothing', async () => {
      const stream = streamName('retry');
      const batch = events(2);
      const original = await store.append(stream, batch, 'no-stream');
      const retried = await store.append(stream, batch, 'no-stream');
      expect(retried).toEqual(original);

      const next = events(1);
      const third = await store.append(stream, next, 1);
      await store.append(stream, events(1), 2);
      expect(await store.append(stream, next, 1)).toEqual(third);

      const viaAny = events(1);
      const anyResult = await store.append(stream, viaAny, 'any');
      expect(await store.append(stream, viaAny, 'any')).toEqual(anyResult);

      const read = await store.readStream(stream);
      expect(read.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
      // The same ids at another revision are not a retry: the history would fork.
      await expect(store.append(stream, next, 4)).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it('idempotent retry: a retry racing its original yields one write and the same result twice', async () => {
      const stream = streamName('retry-race');
      const batch = events(3);
      const [a, b] = await Promise.all([
        store.append(stream, batch, 'no-stream'),
        store.append(stream, batch, 'no-stream'),
      ]);
      expect(a).toEqual(b);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('as-of reads: recordedUntil returns the stream as it stood at that instant', async () => {
      const stream = streamName('as-of');
      await store.append(stream, events(2), 'no-stream');
      const [before] = (await store.readStream(stream)).slice(-1);
      await pause(20);
      const asOf = new Date();
      await pause(20);
      await store.append(stream, events(1), 1);

      const then = await store.readStream(stream, { recordedUntil: asOf });
      expect(then.map((event) => event.revision)).toEqual([0, 1]);
      expect(
        await store.readStream(stream, { recordedUntil: new Date(before.metadata.recordedAt) }),
      ).toHaveLength(2);
      expect(await store.readStream(stream, { recordedUntil: new Date(0) })).toEqual([]);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('hash chain: each event hashes its predecessor and its canonical content; verify answers valid', async () => {
      const stream = streamName('chain');
      await store.append(stream, events(2), 'no-stream');
      await store.append(stream, events(2), 1);
      const read = await store.readStream(stream);
      let previous = '';
      for (const event of read) {
        expect(event.previousHash).toBe(previous);
        expect(event.hash).toBe(
          computeEventHash(previous, {
            type: event.type,
            data: event.data,
            metadata: event.metadata,
          }),
        );
        previous = event.hash;
      }
      expect(await store.verify(stream)).toEqual({ valid: true, eventCount: 4 });
      expect(await store.verify(streamName('none'))).toEqual({ valid: true, eventCount: 0 });
    });

    // Only stores with SQL rows can have a row altered behind their back.
    const sqlDescribe = factory.sqlChecks ? describe : (): void => undefined;
    sqlDescribe('tamper detection on rows altered directly in SQL', () => {
      const tampering: Array<[string, string]> = [
        [
          'data',
          `UPDATE es_events SET data = jsonb_set(data, '{note}', '"edited"') WHERE stream_id = $1 AND revision = 2`,
        ],
        [
          'metadata',
          `UPDATE es_events SET metadata = jsonb_set(metadata, '{actor,staffId}', '"someone-else"') WHERE stream_id = $1 AND revision = 2`,
        ],
        [
          'type',
          `UPDATE es_events SET type = 'SomethingElse' WHERE stream_id = $1 AND revision = 2`,
        ],
        [
          'hash',
          `UPDATE es_events SET hash = repeat('0', 64) WHERE stream_id = $1 AND revision = 2`,
        ],
        [
          'recorded time',
          `UPDATE es_events SET metadata = jsonb_set(metadata, '{recordedAt}', '"2001-01-01T00:00:00.000Z"') WHERE stream_id = $1 AND revision = 2`,
        ],
      ];
      it.each(tampering)(
        'an edited %s is reported at the first altered revision',
        async (_, update) => {
          const sql = subject.sql!;
          const stream = streamName('tamper');
          await store.append(stream, events(4), 'no-stream');
          expect((await store.verify(stream)).valid).toBe(true);
          const changed = await sql.query(update, [stream]);
          expect(changed.rowCount).toBe(1);
          expect(await store.verify(stream)).toEqual({
            valid: false,
            eventCount: 4,
            firstInvalidRevision: 2,
          });
        },
      );

      it('a deleted row is reported at the gap', async () => {
        const stream = streamName('tamper-delete');
        await store.append(stream, events(4), 'no-stream');
        await subject.sql!.query('DELETE FROM es_events WHERE stream_id = $1 AND revision = 1', [
          stream,
        ]);
        expect(await store.verify(stream)).toMatchObject({ valid: false, firstInvalidRevision: 1 });
      });
    });

    it('group commit: concurrent appends with one conflict — the conflicting append fails alone and its neighbours commit', async () => {
      const streams = Array.from({ length: 6 }, () => streamName('group'));
      await Promise.all(streams.map((stream) => store.append(stream, events(1), 'no-stream')));
      const outcomes = await Promise.allSettled(
        streams.map((stream, index) => store.append(stream, events(2), index === 3 ? 5 : 0)),
      );
      outcomes.forEach((outcome, index) => {
        if (index === 3) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        } else {
          expect(outcome.status).toBe('fulfilled');
          expect((outcome as PromiseFulfilledResult<AppendResult>).value.nextRevision).toBe(2);
        }
      });
      const committed = outcomes
        .filter(
          (outcome): outcome is PromiseFulfilledResult<AppendResult> =>
            outcome.status === 'fulfilled',
        )
        .map((outcome) => outcome.value.position.commit);
      if (subject.groupCommit) {
        // One transaction carried all five: they share its transaction id.
        expect(new Set(committed).size).toBe(1);
      } else {
        expect(committed).toHaveLength(5);
      }
      for (const [index, stream] of streams.entries()) {
        expect(await store.readStream(stream)).toHaveLength(index === 3 ? 1 : 3);
      }
    });

    it('readAll pages through the global order after an exclusive position, and headPosition is the last', async () => {
      const stream = streamName('read-all');
      await store.append(stream, events(5), 'no-stream');
      const all: RecordedEvent[] = [];
      let from: Position | undefined;
      // A committed event shows once every older transaction has finished (on
      // PostgreSQL, anywhere in the cluster), so page until ours have all come.
      const ourCount = (): number => all.filter((event) => event.streamId === stream).length;
      const started = Date.now();
      while (ourCount() < 5 && Date.now() - started < 30_000) {
        const page = await store.readAll(from, 7);
        if (page.length === 0) {
          await pause(10);
          continue;
        }
        expect(page.length).toBeLessThanOrEqual(7);
        all.push(...page);
        from = page[page.length - 1].position;
      }
      for (;;) {
        const page = await store.readAll(from, 7);
        if (page.length === 0) break;
        all.push(...page);
        from = page[page.length - 1].position;
      }
      const head = await store.headPosition();
      for (let index = 1; index < all.length; index += 1) {
        expect(comparePositions(all[index].position, all[index - 1].position)).toBeGreaterThan(0);
      }
      expect(all.filter((event) => event.streamId === stream)).toHaveLength(5);
      expect(all[all.length - 1].position).toEqual(head);
    });

    it('catch-up subscription: concurrent writers — every event seen exactly once, in one consistent order, across a restart from the saved checkpoint', async () => {
      const run = randomUUID().slice(0, 8);
      const { writers, eventsPerWriter } = subject;
      const total = writers * eventsPerWriter;
      const ours = (event: RecordedEvent): boolean => event.streamId.startsWith(`sub-${run}-`);
      const seen: RecordedEvent[] = [];
      let checkpoint: Position | undefined;

      // First life: from the start of the store, while the writers are running;
      // it stops once it has seen a third (signalled from the handler, so no timer
      // decides when).
      let reachedThird!: () => void;
      const third = new Promise<void>((resolve) => (reachedThird = resolve));
      const first = store.subscribe(
        async (batch) => {
          seen.push(...batch.filter(ours));
          checkpoint = batch[batch.length - 1].position;
          if (seen.length >= total / 3) reachedThird();
          return Promise.resolve();
        },
        { batchSize: 256 },
      );

      const chunk = 5;
      const writing = Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const stream = `sub-${run}-${writer}`;
          for (let written = 0; written < eventsPerWriter; written += chunk) {
            const count = Math.min(chunk, eventsPerWriter - written);
            await store.append(stream, events(count), written === 0 ? 'no-stream' : written - 1);
          }
        }),
      );

      await third;
      await first.stop();
      await first.done;
      const savedCheckpoint = checkpoint!;
      const seenBeforeRestart = seen.length;

      // Second life: a new store instance, resumed from the saved checkpoint pair.
      const restarted = await openAnother();
      const second = restarted.subscribe(
        async (batch) => {
          expect(comparePositions(batch[0].position, savedCheckpoint)).toBeGreaterThan(0);
          seen.push(...batch.filter(ours));
          return Promise.resolve();
        },
        { from: savedCheckpoint, batchSize: 256 },
      );
      await writing;
      await waitUntil(() => seen.length >= total, `all ${total} events`);
      // Anything extra (a repeat) would arrive within a few polls.
      await pause(100);
      await second.stop();

      expect(seenBeforeRestart).toBeLessThan(total);
      expect(seen).toHaveLength(total);
      expect(new Set(seen.map((event) => event.eventId)).size).toBe(total);
      for (let index = 1; index < seen.length; index += 1) {
        if (comparePositions(seen[index].position, seen[index - 1].position) <= 0) {
          throw new Error(
            `out of order at ${index}: ${positionToString(seen[index].position)} after ${positionToString(seen[index - 1].position)}`,
          );
        }
      }
      const revisions = new Map<string, number>();
      for (const event of seen) {
        const expected = (revisions.get(event.streamId) ?? -1) + 1;
        expect(event.revision).toBe(expected);
        revisions.set(event.streamId, event.revision);
      }
      expect([...revisions.values()]).toEqual(
        Array.from({ length: writers }, () => eventsPerWriter - 1),
      );
      // The order a subscription saw is the order readAll pages through.
      const reread = (await store.readAll(undefined, 1_000_000)).filter(ours);
      expect(reread.map((event) => event.eventId)).toEqual(seen.map((event) => event.eventId));
    });

    it('a handler error stops the subscription and rejects done with it', async () => {
      await store.append(streamName('boom'), events(1), 'no-stream');
      const subscription = store.subscribe(() => Promise.reject(new Error('handler failed')));
      await expect(subscription.done).rejects.toThrow('handler failed');
      await subscription.stop();
    });

    it('ping answers on a reachable store', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    const sqlIt = factory.sqlChecks ? it : (): void => undefined;
    sqlIt(
      'migrations: running them again applies nothing, concurrent runs apply each migration once',
      async () => {
        const sql = subject.sql!;
        expect(await migrateEventStore(sql)).toEqual([]);
        const namespace = `contract-${randomUUID()}`;
        const table = `contract_${randomUUID().slice(0, 8)}`;
        const migrations = [
          { id: '001', sql: `CREATE TABLE ${table} (id int PRIMARY KEY)` },
          { id: '002', sql: `INSERT INTO ${table} VALUES (1); INSERT INTO ${table} VALUES (2)` },
        ];
        const runs = await Promise.all([
          runMigrations(sql, namespace, migrations),
          runMigrations(sql, namespace, migrations),
          runMigrations(sql, namespace, migrations),
        ]);
        expect(runs.flat().sort()).toEqual(['001', '002']);
        expect(await runMigrations(sql, namespace, migrations)).toEqual([]);
        const rows = await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
        expect(rows.rows[0].n).toBe('2');
        const recorded = await sql.query<{ n: string }>(
          'SELECT count(*)::text AS n FROM schema_migrations WHERE namespace = $1',
          [namespace],
        );
        expect(recorded.rows[0].n).toBe('2');
      },
    );
  });
}
