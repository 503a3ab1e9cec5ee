/**
 * `npm run bench:store` — the event store's speed next to raw SQL on the same
 * table shape, in the same run. Not a test: it prints and
 * writes bench/results/store-<date>.{json,md}.
 *
 * Run: node runs this file as TypeScript through tsx (`node --import tsx`),
 * which also resolves the @caseledger/* path aliases of tsconfig.json; no
 * compile step.
 *
 * PostgreSQL: a throw-away database on DATABASE_URL's server (default
 * postgres://127.0.0.1:5432/test), dropped at the end. PGlite: a temp dir.
 * Each append measurement runs twice for BENCH_SECONDS (default 2), interleaved
 * with the others, and keeps its best run (other work shares this machine).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import {
  PostgresEventStore,
  createPgSqlClient,
  migrateEventStore,
  openPgliteSqlClient,
  type NewEvent,
  type Position,
  type SqlClient,
} from '@caseledger/event-store';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { createTestDatabase } from '@caseledger/testing';

// pg takes the user from the environment; a bare shell may not set it.
process.env.USER ||= userInfo().username;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const WRITERS = (process.env.BENCH_WRITERS ?? '1,8,32').split(',').map(Number);
/** Batches written at once under group commit (the adapter's default when unset). */
const IN_FLIGHT = process.env.BENCH_IN_FLIGHT ? Number(process.env.BENCH_IN_FLIGHT) : undefined;
const READ_EVENTS = Number(process.env.BENCH_READ_EVENTS ?? 60_000);
const PAGE = 1_000;

interface Row {
  backend: 'postgres' | 'pglite';
  measure: string;
  writers: number | null;
  adapter: number;
  raw: number;
  ratio: number;
  /** The peer (Emmett on PostgreSQL), same events and writers, same run. */
  peer?: number;
}

const rows: Row[] = [];

/** A ~400-byte event, like a case event with its metadata (DESIGN.md "Known ground": 401 bytes). */
function benchEvent(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'ContactRecorded',
    data: {
      contactId: randomUUID(),
      method: 'IN_PERSON',
      party: 'CUSTOMER',
      outcome: 'REACHED',
      occurredOn: '2024-03-01',
      progress: 'Attended all sessions of the training this month.',
      justification: 'Training continues; next term starts in April.',
    },
    metadata: {
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { staffId: 'staff-1', role: 'case_manager', careerCenterId: 'cc-1' },
      schemaVersion: 1,
    },
  };
}

/**
 * The raw baseline's table: the event store's own table shape (columns,
 * defaults including its sequence, keys, the position index), copied from the
 * migrated schema so the two can never drift apart.
 */
const RAW_TABLE = `CREATE TABLE IF NOT EXISTS bench_raw_events (LIKE es_events INCLUDING ALL)`;

/** Runs `writers` loops until the deadline; returns operations per second. */
async function timed(
  writers: number,
  step: (writer: number, n: number) => Promise<void>,
): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let n = 0; Date.now() < deadline; n += 1) {
        await step(writer, n);
        done += 1;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return done / seconds;
}

/** Raw: one INSERT transaction per event (an autocommitted single-row INSERT). */
function rawAppends(sql: SqlClient, writers: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  return timed(writers, async (writer, n) => {
    const event = benchEvent();
    const metadata = {
      ...event.metadata,
      eventId: event.eventId,
      recordedAt: new Date().toISOString(),
    };
    await sql.query(
      `INSERT INTO bench_raw_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash, previous_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        `raw-${run}-${writer}`,
        n,
        event.eventId,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(metadata),
        metadata.recordedAt,
        'h'.repeat(64),
        'p'.repeat(64),
      ],
    );
  });
}

/** The adapter: single-event appends, each writer on its own stream with its exact expected revision. */
function adapterAppends(store: PostgresEventStore, writers: number): Promise<number> {
  const run = randomUUID().slice(0, 8);
  return timed(writers, async (writer, n) => {
    await store.append(`bench-${run}-${writer}`, [benchEvent()], n === 0 ? 'no-stream' : n - 1);
  });
}

/**
 * The peer: Emmett's PostgreSQL event store on the same database, the same
 * events (data and metadata), the same writers each on its own stream with
 * its exact expected version, and a pool as large as the writers.
 */
async function peerAppends(url: string, writers: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: writers });
  const peer = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  const run = randomUUID().slice(0, 8);
  try {
    await peer.appendToStream(`peer-warmup-${run}`, [toPeerEvent(benchEvent())]); // creates its schema
    return await timed(writers, async (writer, n) => {
      await peer.appendToStream(`peer-${run}-${writer}`, [toPeerEvent(benchEvent())], {
        expectedStreamVersion: n === 0 ? STREAM_DOES_NOT_EXIST : BigInt(n),
      });
    });
  } finally {
    await peer.close();
    await pool.end();
  }
}

const toPeerEvent = (event: NewEvent) => ({
  type: event.type,
  data: event.data as Record<string, unknown>,
  metadata: { ...event.metadata, eventId: event.eventId },
});

async function countEvents(sql: SqlClient): Promise<number> {
  const result = await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM es_events', []);
  return Number(result.rows[0].n);
}

async function readAllRate(store: PostgresEventStore): Promise<number> {
  const started = process.hrtime.bigint();
  let count = 0;
  let from: Position | undefined;
  for (;;) {
    const page = await store.readAll(from, PAGE);
    if (page.length === 0) break;
    count += page.length;
    from = page[page.length - 1].position;
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Raw: a plain keyset scan of the same table and columns along its position
 * index — without the adapter's in-flight horizon and without building events.
 */
async function rawScanRate(sql: SqlClient): Promise<number> {
  const started = process.hrtime.bigint();
  let count = 0;
  let after = { txid: '0', seq: '0' };
  for (;;) {
    const page = await sql.query<{ txid: string; seq: string }>(
      `SELECT stream_id, revision, event_id::text AS event_id, type, data, metadata, hash, previous_hash, txid::text AS txid, seq::text AS seq
       FROM es_events WHERE (txid, seq) > ($1::text::xid8, $2::bigint)
       ORDER BY es_events.txid, es_events.seq LIMIT $3`,
      [after.txid, after.seq, PAGE],
    );
    if (page.rows.length === 0) break;
    count += page.rows.length;
    after = page.rows[page.rows.length - 1];
  }
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

function record(row: Omit<Row, 'ratio'>): void {
  const full = { ...row, ratio: row.adapter / row.raw };
  rows.push(full);
  const writers = row.writers === null ? '' : `${row.writers} writer(s)`;
  const peer =
    row.peer === undefined
      ? ''
      : `   peer (Emmett) ${fmt(row.peer)}/s, ours ÷ peer ${(row.adapter / row.peer).toFixed(2)}×`;
  console.log(
    `${row.backend.padEnd(8)} ${row.measure.padEnd(34)} ${writers.padEnd(12)} adapter ${fmt(row.adapter).padStart(8)}/s   raw ${fmt(row.raw).padStart(8)}/s   ratio ${full.ratio.toFixed(2)}×${peer}`,
  );
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function benchBackend(
  backend: Row['backend'],
  open: (pool: number) => Promise<SqlClient>,
  peerUrl?: string,
): Promise<void> {
  const setup = await open(4);
  await migrateEventStore(setup);
  await setup.query(RAW_TABLE);
  await setup.close();

  for (const writers of WRITERS) {
    // Same pool size for raw and adapter: one connection per writer (PGlite has one).
    const sql = await open(writers);
    const single = new PostgresEventStore(sql, { groupCommit: false });
    const grouped = new PostgresEventStore(sql, {
      groupCommit: IN_FLIGHT ? { maxInFlight: IN_FLIGHT } : true,
    });
    // The machine is shared: interleave the three, twice, and keep each one's best.
    let raw = 0;
    let withoutGroup = 0;
    let withGroup = 0;
    let peer = 0;
    for (let round = 0; round < 2; round += 1) {
      raw = Math.max(raw, await rawAppends(sql, writers));
      withGroup = Math.max(withGroup, await adapterAppends(grouped, writers));
      withoutGroup = Math.max(withoutGroup, await adapterAppends(single, writers));
      if (peerUrl) peer = Math.max(peer, await peerAppends(peerUrl, writers));
    }
    await single.close();
    await grouped.close();
    await sql.close();
    record({
      backend,
      measure: 'appends, group commit',
      writers,
      adapter: withGroup,
      raw,
      ...(peerUrl ? { peer } : {}),
    });
    record({ backend, measure: 'appends, no group commit', writers, adapter: withoutGroup, raw });
  }

  const sql = await open(4);
  const store = new PostgresEventStore(sql);
  // Enough events for a steady read: top up with 100-event appends.
  let have = await countEvents(sql);
  for (let n = 0; have < READ_EVENTS; n += 1) {
    await store.append(
      `bench-fill-${randomUUID()}`,
      Array.from({ length: 100 }, benchEvent),
      'no-stream',
    );
    have += 100;
  }
  await sql.query('VACUUM ANALYZE es_events');
  // Warm both paths once, then measure each twice and keep the better run.
  await rawScanRate(sql);
  await readAllRate(store);
  const raw = Math.max(await rawScanRate(sql), await rawScanRate(sql));
  const adapter = Math.max(await readAllRate(store), await readAllRate(store));
  record({
    backend,
    measure: `read-all (${fmt(have)} events, pages of ${PAGE})`,
    writers: null,
    adapter,
    raw,
  });
  await store.close();
  await sql.close();
}

function markdown(date: string): string {
  const lines = [
    `# Event store benchmark, ${date}`,
    '',
    `\`npm run bench:store\`; each append measurement ${SECONDS} s, twice, interleaved, best kept; single-event appends, each writer on its own stream with its exact expected revision.`,
    'Raw appends: one autocommitted INSERT per event into a table of the same shape. Raw read: a keyset SELECT of the same columns along the same (transaction id, sequence) index, without the in-flight horizon.',
    'Peer: Emmett (`@event-driven-io/emmett-postgresql`) on the same database, same events, same writers (each on its own stream with its expected version), a pool as large as the writers, interleaved in the same rounds.',
    '',
    '| backend | measure | writers | adapter (/s) | raw (/s) | adapter ÷ raw | peer (/s) | adapter ÷ peer |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.backend} | ${row.measure} | ${row.writers ?? ''} | ${fmt(row.adapter)} | ${fmt(row.raw)} | ${row.ratio.toFixed(2)}× | ${row.peer === undefined ? '' : fmt(row.peer)} | ${row.peer === undefined ? '' : `${(row.adapter / row.peer).toFixed(2)}×`} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const database = await createTestDatabase('bench_store');
  try {
    await benchBackend(
      'postgres',
      (pool) => Promise.resolve(createPgSqlClient(database.url, { max: pool })),
      database.url,
    );
  } finally {
    await database.drop();
  }
  const dir = mkdtempSync(join(tmpdir(), 'caseledger-bench-'));
  try {
    await benchBackend('pglite', (_pool) => openPgliteSqlClient(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const date = new Date().toISOString().slice(0, 10);
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const result = { date, seconds: SECONDS, node: process.version, rows };
  writeFileSync(join(out, `store-${date}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(out, `store-${date}.md`), markdown(date));

  const target = (measure: string, writers: number | null): Row | undefined =>
    rows.find(
      (row) =>
        row.backend === 'postgres' && row.measure.startsWith(measure) && row.writers === writers,
    );
  const appends = target('appends, group commit', 32);
  const reads = target('read-all', null);
  console.log('');
  console.log(
    `PostgreSQL targets: appends at 32 writers ${appends?.ratio.toFixed(2)}× raw (target ≥ 1.3×), ${appends?.peer ? (appends.adapter / appends.peer).toFixed(2) : '?'}× the peer (target ≥ 2.5×); read-all ${reads?.ratio.toFixed(2)}× raw (target ≥ 0.8×)`,
  );
  console.log(
    `wrote bench/results/store-${date}.{json,md} in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
