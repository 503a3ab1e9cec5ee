import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore, NewEvent } from '../event-store.port';
import { computeEventHash } from '../hash-chain';
import type { SqlClient } from '../sql/sql-client';
import { CheckpointSigner } from './checkpoint';
import { Checkpointer } from './checkpointer';
import { exportLines } from './export';
import { SqlCheckpointStore } from './sql.checkpoint-store';
import {
  sqlStoreTail,
  sqlStreamHeads,
  verifyStore,
  type StoreVerifyReport,
} from './store-verifier';
import { untilReadable } from './visible.testing';

/**
 * Tamper evidence, store-wide (DESIGN.md "Evidence an outsider can check"):
 * each way someone with database access could alter the log, done in SQL, is
 * caught by `verifyStore` and by the standalone `tools/verify-export.mjs` on an
 * export taken afterwards. One suite for PostgreSQL and PGlite.
 */
export interface TamperBackend {
  /** A migrated store with its SQL client (emptied before each test). */
  open(): Promise<{ sql: SqlClient; store: EventStore; close(): Promise<void> }>;
}

const INTERVAL = 10;
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

function event(n: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'NoteTaken',
    data: { n, note: `note ${n}`, nested: { b: 2, a: [1, 'x', null] } },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { staffId: 'staff-1', role: 'case_manager', careerCenterId: 'cc-1' },
      schemaVersion: 1,
    },
  };
}

interface World {
  sql: SqlClient;
  store: EventStore;
  streams: string[];
  signer: CheckpointSigner;
  checkpoints: SqlCheckpointStore;
}

export function tamperContract(name: string, backend: TamperBackend): void {
  describe(`${name}: store-wide verification and the offline verifier detect tampering`, () => {
    let world: World;
    let dir: string;
    let opened: Awaited<ReturnType<TamperBackend['open']>>;
    let checkpoints: SqlCheckpointStore;
    const signer = CheckpointSigner.generate();

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'caseledger-tamper-'));
      opened = await backend.open();
      checkpoints = await SqlCheckpointStore.create(opened.sql);
    });
    afterAll(async () => {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** 5 streams × 6 events = 30 events, checkpoints every 10: three full checkpoints. */
    beforeEach(async () => {
      await opened.sql.query('TRUNCATE es_events, es_streams, es_checkpoints');
      const streams = Array.from({ length: 5 }, () => `case-${randomUUID()}`);
      let n = 0;
      for (let revision = 0; revision < 6; revision += 1) {
        for (const streamId of streams) {
          await opened.store.append(
            streamId,
            [event((n += 1))],
            revision === 0 ? 'no-stream' : revision - 1,
          );
        }
      }
      await untilReadable(opened.store, 30);
      const checkpointer = new Checkpointer(opened.store, checkpoints, signer, {
        everyEvents: INTERVAL,
        everySeconds: 3600,
      });
      const written = await checkpointer.tick({ force: true });
      expect(written.map((c) => c.eventCount)).toEqual([10, 10, 10]);
      world = { sql: opened.sql, store: opened.store, streams, signer, checkpoints };
    });

    const verify = (expect?: { sequence: number; hash: string }): Promise<StoreVerifyReport> =>
      verifyStore(world.store, world.checkpoints, {
        publicKey: signer.publicKey,
        heads: sqlStreamHeads(world.sql),
        tail: sqlStoreTail(world.sql),
        intervalEvents: INTERVAL,
        ...(expect ? { expect } : {}),
      });

    /** Exports everything, runs tools/verify-export.mjs on it; returns its exit code and output. */
    async function offline(args: string[] = []): Promise<{ status: number; output: string }> {
      let text = '';
      for await (const chunk of exportLines(world.store, world.checkpoints, {
        filters: {},
        includeStream: () => true,
        publicKeyPem: signer.publicKeyPem(),
        keyId: signer.keyId,
        checkpointIntervalEvents: INTERVAL,
        tail: sqlStoreTail(world.sql),
      })) {
        text += chunk;
      }
      const file = join(dir, `${randomUUID()}.ndjson`);
      const keyFile = join(dir, `${randomUUID()}.pem`);
      writeFileSync(file, text);
      writeFileSync(keyFile, signer.publicKeyPem());
      const run = spawnSync(
        process.execPath,
        [join(REPO_ROOT, 'tools', 'verify-export.mjs'), file, '--public-key', keyFile, ...args],
        { encoding: 'utf8' },
      );
      return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
    }

    const messages = (report: StoreVerifyReport): string =>
      report.failures.map((f) => f.message).join('\n');

    it('an untouched store verifies clean, online and offline', async () => {
      const report = await verify();
      expect(report.failures).toEqual([]);
      expect(report).toMatchObject({
        ok: true,
        events: 30,
        streams: 5,
        checkpoints: 3,
        uncoveredEvents: 0,
      });
      const result = await offline();
      expect(result.output).toContain('export verified: 30 events in 5 streams, 3 checkpoints');
      expect(result.status).toBe(0);
    });

    it("an event's data edited in SQL", async () => {
      await world.sql.query(
        `UPDATE es_events SET data = jsonb_set(data, '{note}', '"edited"') WHERE stream_id = $1 AND revision = 2`,
        [world.streams[1]],
      );
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.failures).toContainEqual(
        expect.objectContaining({ kind: 'event', streamId: world.streams[1], revision: 2 }),
      );
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toContain(
        `${world.streams[1]} revision 2: content does not match its hash`,
      );
    });

    it("a stream's newest events deleted (and its recorded head moved back to hide it)", async () => {
      const victim = world.streams[2];
      await world.sql.query('DELETE FROM es_events WHERE stream_id = $1 AND revision >= 4', [
        victim,
      ]);
      let report = await verify();
      expect(report.ok).toBe(false);
      expect(messages(report)).toContain(
        `${victim}: the store records 6 events, revisions 4–5 are missing`,
      );
      await world.sql.query(
        `UPDATE es_streams SET revision = 3, last_hash = (SELECT hash FROM es_events WHERE stream_id = $1 AND revision = 3) WHERE stream_id = $1`,
        [victim],
      );
      report = await verify();
      expect(report.ok).toBe(false);
      expect(report.failures.filter((f) => f.kind === 'checkpoint').length).toBeGreaterThan(0);
      expect(messages(report)).toMatch(/covers 10 events, the store holds 8 in its range/);
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/covers 10 events, the file has 8 in its range/);
    });

    it('a whole stream deleted', async () => {
      const victim = world.streams[0];
      await world.sql.query('DELETE FROM es_events WHERE stream_id = $1', [victim]);
      await world.sql.query('DELETE FROM es_streams WHERE stream_id = $1', [victim]);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.streams).toBe(4);
      expect(messages(report)).toMatch(/events deleted or added/);
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/events deleted or added/);
    });

    it('a stream rewritten with consistently recomputed per-stream hashes', async () => {
      const victim = world.streams[3];
      const events = await world.store.readStream(victim);
      let previous = '';
      for (const e of events) {
        const data = e.revision === 1 ? { ...(e.data as object), note: 'rewritten' } : e.data;
        const hash = computeEventHash(previous, { type: e.type, data, metadata: e.metadata });
        await world.sql.query(
          'UPDATE es_events SET data = $3::jsonb, hash = $4, previous_hash = $5 WHERE stream_id = $1 AND revision = $2',
          [victim, e.revision, JSON.stringify(data), hash, previous],
        );
        previous = hash;
      }
      await world.sql.query('UPDATE es_streams SET last_hash = $2 WHERE stream_id = $1', [
        victim,
        previous,
      ]);
      // The stream on its own still verifies: only the checkpoints can tell.
      expect((await world.store.verify(victim)).valid).toBe(true);
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(report.failures.every((f) => f.kind === 'checkpoint')).toBe(true);
      expect(messages(report)).toMatch(/do not hash to its eventsHash/);
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toMatch(/do not hash to its eventsHash/);
    });

    it('a checkpoint edited', async () => {
      await world.sql.query(
        `UPDATE es_checkpoints SET event_count = 9, total_events = total_events - 1 WHERE sequence = 2`,
      );
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(messages(report)).toContain('checkpoint 2: the signature does not verify');
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toContain('checkpoint 2: the signature does not verify');
    });

    it('a checkpoint removed from the middle of the chain', async () => {
      await world.sql.query('DELETE FROM es_checkpoints WHERE sequence = 2');
      const report = await verify();
      expect(report.ok).toBe(false);
      expect(messages(report)).toContain('checkpoint 2 is missing');
      const result = await offline();
      expect(result.status).toBe(1);
      expect(result.output).toContain('checkpoint 2 is missing');
    });

    it('the newest checkpoint removed: caught by the interval, and by the checkpoint the auditor kept', async () => {
      const kept = (await verify()).latestCheckpoint!;
      await world.sql.query('DELETE FROM es_checkpoints WHERE sequence = 3');
      const report = await verify({ sequence: kept.sequence, hash: kept.hash });
      expect(report.ok).toBe(false);
      expect(messages(report)).toContain('exceed the checkpoint interval');
      expect(messages(report)).toContain('checkpoint 3, seen before, is missing');
      const result = await offline(['--expect', `${kept.sequence}:${kept.hash}`]);
      expect(result.status).toBe(1);
      expect(result.output).toContain('exceed the checkpoint interval');
      expect(result.output).toContain('checkpoint 3, seen before, is not in the file');
    });

    it('verification of one stream (--case) checks its chain and its recorded head', async () => {
      const victim = world.streams[4];
      expect(
        (
          await verifyStore(world.store, world.checkpoints, {
            publicKey: signer.publicKey,
            heads: sqlStreamHeads(world.sql),
            streamId: victim,
          })
        ).ok,
      ).toBe(true);
      await world.sql.query('DELETE FROM es_events WHERE stream_id = $1 AND revision = 5', [
        victim,
      ]);
      const report = await verifyStore(world.store, world.checkpoints, {
        publicKey: signer.publicKey,
        heads: sqlStreamHeads(world.sql),
        streamId: victim,
      });
      expect(report.ok).toBe(false);
      expect(messages(report)).toContain('newest events deleted');
    });
  });
}
