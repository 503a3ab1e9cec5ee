/**
 * `npm run bench:export` — the auditors' NDJSON export of 100,000 events on
 * PostgreSQL (issue "Done when": constant memory; peak RSS and events/s
 * against a raw keyset scan of the same events in the same run). Not a test:
 * it prints and writes bench/results/export-<date>.{json,md}.
 *
 * Seeding goes through the store's own append (real hash chains), then the
 * checkpointer signs a checkpoint every 1,000 events, so the export carries
 * 100 checkpoints. The export is consumed by a file stream on /dev/null
 * through `pipeline`, i.e. with the same back-pressure as the HTTP route.
 *
 * Environment: DATABASE_URL (server; a throw-away database is created and
 * dropped), BENCH_EVENTS (100000), BENCH_EVENTS_PER_CASE (20).
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CheckpointSigner,
  Checkpointer,
  PostgresEventStore,
  SqlCheckpointStore,
  createPgSqlClient,
  exportLines,
  type NewEvent,
} from '@caseledger/event-store';
import { createTestDatabase } from '@caseledger/testing';

process.env.USER ||= userInfo().username;

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const PER_CASE = Number(process.env.BENCH_EVENTS_PER_CASE ?? 20);
const log = (line: string) => process.stdout.write(`${line}\n`);

function newEvent(caseId: string, revision: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: revision === 0 ? 'CaseOpened' : 'ContactRecorded',
    data:
      revision === 0
        ? {
            caseId,
            customer: {
              id: `cust-${caseId.slice(0, 8)}`,
              firstName: 'Customer',
              lastName: 'Bench',
            },
            program: 'WIOA_ADULT',
            careerCenterId: 'cc-1',
            localAreaId: 'MO-DEFAULT',
            caseManagerId: 'cm-1',
            openedOn: '2026-01-02',
          }
        : {
            contactId: `ct-${revision}`,
            method: 'IN_PERSON',
            party: 'CUSTOMER',
            outcome: 'REACHED',
            occurredOn: '2026-02-03',
            progress: 'Attending welding classes, on track for certification',
            justification: 'Needs continued services until certification',
            qualifying: true,
          },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { staffId: 'cm-1', role: 'case_manager', careerCenterId: 'cc-1' },
      schemaVersion: 1,
    },
  };
}

/** Samples RSS every 20 ms while `work` runs; returns its result, seconds and the peak. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; peakRssMb: number; startRssMb: number }> {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      result,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      peakRssMb: peak / 2 ** 20,
      startRssMb: startRss / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_export');
  const sql = createPgSqlClient(database.url, { max: 8 });
  try {
    const store = await PostgresEventStore.create(sql);
    const cases = Math.ceil(EVENTS / PER_CASE);
    log(`seeding ${EVENTS} events (${cases} cases × ${PER_CASE}) through the store's append…`);
    const seedStart = Date.now();
    const ids = Array.from({ length: cases }, () => randomUUID());
    // Round by round, 8 appends in flight, so streams interleave in global order.
    for (let revision = 0; revision < PER_CASE; revision += 1) {
      for (let i = 0; i < ids.length; i += 200) {
        await Promise.all(
          ids
            .slice(i, i + 200)
            .map((id) =>
              store.append(
                `case-${id}`,
                [newEvent(id, revision)],
                revision === 0 ? 'no-stream' : revision - 1,
              ),
            ),
        );
      }
    }
    log(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const signer = CheckpointSigner.generate();
    const checkpoints = await SqlCheckpointStore.create(sql);
    const written = await new Checkpointer(store, checkpoints, signer, {
      everyEvents: 1000,
      everySeconds: 3600,
    }).tick({ force: true });
    log(`${written.length} checkpoints signed`);

    const rawScan = () =>
      measured(async () => {
        let after = { txid: '0', seq: '0' };
        let rows = 0;
        for (;;) {
          const page = await sql.query<{ txid: string; seq: string }>(
            `SELECT txid::text AS txid, seq::text AS seq, stream_id, revision, event_id, type, data, metadata, hash, previous_hash
           FROM es_events WHERE (txid, seq) > ($1::text::xid8, $2::bigint) ORDER BY es_events.txid, es_events.seq LIMIT 1000`,
            [after.txid, after.seq],
          );
          rows += page.rows.length;
          if (page.rows.length < 1000) break;
          after = page.rows[page.rows.length - 1];
        }
        return rows;
      });
    // The raw scan runs before and after the export (a shared host's load drifts); the faster counts.
    const rawBefore = await rawScan();
    let bytes = 0;
    const exported = await measured(async () => {
      const lines = exportLines(store, checkpoints, {
        filters: {},
        includeStream: () => true,
        publicKeyPem: signer.publicKeyPem(),
        keyId: signer.keyId,
        pageSize: 1000,
      });
      const counted = async function* (): AsyncGenerator<string> {
        for await (const chunk of lines) {
          bytes += Buffer.byteLength(chunk);
          yield chunk;
        }
      };
      await pipeline(Readable.from(counted()), createWriteStream('/dev/null'));
      return EVENTS;
    });
    const rawAfter = await rawScan();
    const raw = rawBefore.seconds <= rawAfter.seconds ? rawBefore : rawAfter;
    const rawRate = raw.result / raw.seconds;
    const exportRate = exported.result / exported.seconds;
    const results = {
      date: new Date().toISOString(),
      host: { cpus: cpus().length, loadavg: loadavg() },
      events: EVENTS,
      checkpoints: written.length,
      exportBytes: bytes,
      rawKeysetScan: {
        eventsPerSecond: Math.round(rawRate),
        runsSeconds: [rawBefore.seconds, rawAfter.seconds],
        seconds: raw.seconds,
        peakRssMb: Math.round(raw.peakRssMb),
        startRssMb: Math.round(raw.startRssMb),
      },
      export: {
        eventsPerSecond: Math.round(exportRate),
        seconds: exported.seconds,
        peakRssMb: Math.round(exported.peakRssMb),
        startRssMb: Math.round(exported.startRssMb),
      },
      ratio: exportRate / rawRate,
    };
    log(JSON.stringify(results, null, 2));
    const day = results.date.slice(0, 10);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `export-${day}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(
      join(dir, `export-${day}.md`),
      [
        `# bench:export (${results.date})`,
        '',
        `${EVENTS.toLocaleString('en-US')} events (${PER_CASE} per case), ${written.length} signed checkpoints, ${(bytes / 2 ** 20).toFixed(1)} MiB of NDJSON written to /dev/null through pipeline (back-pressure as on the HTTP route). Host: ${results.host.cpus} CPUs, load ${results.host.loadavg.map((l) => l.toFixed(2)).join(' ')}.`,
        '',
        '| run | events/s | seconds | RSS at start (MiB) | peak RSS (MiB) |',
        '| --- | --- | --- | --- | --- |',
        `| raw keyset scan (SELECT pages of 1,000) | ${results.rawKeysetScan.eventsPerSecond.toLocaleString('en-US')} | ${raw.seconds.toFixed(2)} | ${results.rawKeysetScan.startRssMb} | ${results.rawKeysetScan.peakRssMb} |`,
        `| export (NDJSON lines + checkpoints) | ${results.export.eventsPerSecond.toLocaleString('en-US')} | ${exported.seconds.toFixed(2)} | ${results.export.startRssMb} | ${results.export.peakRssMb} |`,
        '',
        `Export / raw: **${results.ratio.toFixed(2)}×**.`,
        '',
      ].join('\n'),
    );
    await store.close();
  } finally {
    await sql.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
