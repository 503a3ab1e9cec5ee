/**
 * `npm run bench:scale` — how cost grows with the size of the store. Seeds a
 * small store (SCALE_SMALL_EVENTS, default 100,000 events) and a large one
 * (SCALE_EVENTS, default 10,000,000 events over 500,000 cases) in the same
 * run, each straight into the adapter's own schema with valid hash chains
 * (bench/scale/seed.ts), and measures on each, in this order:
 *
 * - disk per million events (es_events and es_streams with their indexes);
 * - a raw read-all scan (events/s) and a full caseload rebuild (events/s, the
 *   ratio to the scan);
 * - caseload query latency over HTTP (GET /api/v1/caseloads/:id, p50/p99);
 * - RecordContact over HTTP: p50/p99 and API CPU per command (the API as a
 *   child process, like bench:api, on fresh cases opened on top of the store);
 * - a deadline sweep over every open case (its own redis-server on a free port);
 * - store verification: signing checkpoints over the whole store, then
 *   `verifyStore` (what `audit verify` runs), which must pass.
 *
 * Not a test: it prints and writes bench/results/scale-<date>.{json,md}.
 * Environment: DATABASE_URL (server; throw-away databases are created and
 * dropped), SCALE_EVENTS, SCALE_SMALL_EVENTS, SCALE_EVENTS_PER_CASE (20),
 * SCALE_COHORT (2000 cases per COPY), SCALE_CASES_PER_MANAGER (200),
 * SCALE_HTTP_SECONDS (15), SCALE_CONNECTIONS (32), SCALE_KEEP=1 keeps the databases.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  CheckpointSigner,
  Checkpointer,
  PostgresEventStore,
  SqlCheckpointStore,
  createPgSqlClient,
  sqlStoreTail,
  sqlStreamHeads,
  verifyStore,
  type Position,
} from '@caseledger/event-store';
import { caseloadProjection, migrateProjections, rebuildProjection } from '@caseledger/projections';
import {
  CaseloadDeadlineSource,
  DeadlineScheduler,
  createDeadlineQueue,
  sweepDeadlines,
} from '@caseledger/deadlines';
import { createTestDatabase } from '../test/support/postgres';
import { ApiChild, freePort, type CommandFigures, type QueryFigures } from './scale/api-child';
import { managerOf, seedStore, type SeedShape } from './scale/seed';

process.env.USER ||= userInfo().username;

const LARGE = Number(process.env.SCALE_EVENTS ?? 10_000_000);
const SMALL = Number(process.env.SCALE_SMALL_EVENTS ?? 100_000);
const PER_CASE = Number(process.env.SCALE_EVENTS_PER_CASE ?? 20);
const COHORT = Number(process.env.SCALE_COHORT ?? 2_000);
const PER_MANAGER = Number(process.env.SCALE_CASES_PER_MANAGER ?? 200);
const HTTP_SECONDS = Number(process.env.SCALE_HTTP_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.SCALE_CONNECTIONS ?? 32);
const PAGE = 5_000;

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;
const today = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());

interface SizeFigures {
  events: number;
  cases: number;
  seedSeconds: number;
  diskBytes: number;
  diskMbPerMillionEvents: number;
  rawScanEventsPerSecond: number;
  rebuildSeconds: number;
  rebuildEventsPerSecond: number;
  rebuildToScan: number;
  caseloadQuery: QueryFigures;
  recordContact: CommandFigures;
  sweep: { cases: number; seconds: number; casesPerSecond: number };
  checkpointSeconds: number;
  verify: {
    ok: boolean;
    events: number;
    seconds: number;
    eventsPerSecond: number;
    failures: number;
  };
}

async function rawScan(store: PostgresEventStore): Promise<number> {
  const started = process.hrtime.bigint();
  let events = 0;
  let next = store.readAll(undefined, PAGE);
  for (;;) {
    const page = await next;
    const last: { position: Position } | undefined = page[page.length - 1];
    if (!last) break;
    next = store.readAll(last.position, PAGE);
    events += page.length;
  }
  return events / seconds(started);
}

/** A redis-server of the bench's own (the sweep adds a job per open case: not the shared one). */
async function ownRedis(): Promise<{ port: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((r) => setTimeout(r, 500));
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function sweep(sql: ReturnType<typeof createPgSqlClient>): Promise<SizeFigures['sweep']> {
  const redis = await ownRedis();
  const queue = createDeadlineQueue({ host: '127.0.0.1', port: redis.port }, 'scale');
  try {
    const scheduler = new DeadlineScheduler(queue, { now: () => new Date() });
    const started = process.hrtime.bigint();
    const report = await sweepDeadlines(
      new CaseloadDeadlineSource(sql),
      scheduler,
      () => 'America/Chicago',
      {
        pageSize: 1000,
        concurrency: 32,
      },
    );
    const took = seconds(started);
    return {
      cases: report.cases,
      seconds: Number(took.toFixed(2)),
      casesPerSecond: Math.round(report.cases / took),
    };
  } finally {
    await queue.close();
    await redis.stop();
  }
}

async function verifyWholeStore(
  sql: ReturnType<typeof createPgSqlClient>,
  store: PostgresEventStore,
): Promise<Pick<SizeFigures, 'checkpointSeconds' | 'verify'>> {
  const checkpoints = await SqlCheckpointStore.create(sql);
  const signer = CheckpointSigner.generate();
  const everyEvents = 100_000;
  const signing = process.hrtime.bigint();
  await new Checkpointer(store, checkpoints, signer, {
    everyEvents,
    everySeconds: 3600,
    pageSize: PAGE,
  }).tick({
    force: true,
  });
  const checkpointSeconds = Number(seconds(signing).toFixed(2));
  const started = process.hrtime.bigint();
  const report = await verifyStore(store, checkpoints, {
    publicKey: signer.publicKey,
    heads: sqlStreamHeads(sql),
    tail: sqlStoreTail(sql),
    intervalEvents: everyEvents,
    pageSize: PAGE,
  });
  const took = seconds(started);
  for (const failure of report.failures.slice(0, 5)) log(`    verify failure: ${failure.message}`);
  return {
    checkpointSeconds,
    verify: {
      ok: report.ok,
      events: report.events,
      seconds: Number(took.toFixed(2)),
      eventsPerSecond: Math.round(report.events / took),
      failures: report.failures.length,
    },
  };
}

async function measure(events: number): Promise<SizeFigures> {
  const cases = Math.max(1, Math.round(events / PER_CASE));
  const shape: SeedShape = {
    cases,
    perCase: PER_CASE,
    cohort: COHORT,
    managers: Math.max(1, Math.round(cases / PER_MANAGER)),
  };
  log(`\n== ${cases * PER_CASE} events over ${cases} cases (${shape.managers} case managers)`);
  const db = await createTestDatabase(`bench_scale_${events}`);
  const sql = createPgSqlClient(db.url, { max: 6 });
  const store = await PostgresEventStore.create(sql);
  let api: ApiChild | undefined;
  try {
    await migrateProjections(sql);
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const seeding = process.hrtime.bigint();
    try {
      await seedStore(client, shape, (done) => {
        if (done % (COHORT * 25) === 0 || done === cases)
          process.stdout.write(`\r  seeded ${done} cases`);
      });
    } finally {
      await client.end();
    }
    const seedSeconds = Number(seconds(seeding).toFixed(1));
    log(`\n  seeded in ${seedSeconds} s`);
    const { rows } = await sql.query<{ bytes: string }>(
      `SELECT (pg_total_relation_size('es_events') + pg_total_relation_size('es_streams'))::text AS bytes`,
    );
    const diskBytes = Number(rows[0].bytes);
    const diskMbPerMillionEvents = Number(
      (diskBytes / 1e6 / ((cases * PER_CASE) / 1e6)).toFixed(1),
    );
    log(
      `  disk: ${(diskBytes / 1e9).toFixed(2)} GB = ${diskMbPerMillionEvents} MB per million events`,
    );

    await rawScan(store); // warm the cache the same way for the scan and the rebuild
    const scanRate = await rawScan(store);
    log(`  raw read-all scan: ${Math.round(scanRate)} events/s`);
    const rebuilding = process.hrtime.bigint();
    const rebuilt = await rebuildProjection(sql, store, caseloadProjection, { batchSize: PAGE });
    const rebuildSeconds = seconds(rebuilding);
    const rebuildRate = rebuilt.events / rebuildSeconds;
    log(
      `  rebuild: ${rebuilt.events} events, ${rebuilt.rows} rows in ${rebuildSeconds.toFixed(1)} s = ${Math.round(rebuildRate)} events/s (${(rebuildRate / scanRate).toFixed(3)}× the scan)`,
    );

    api = await ApiChild.start(db.url);
    const managers = Array.from({ length: Math.min(shape.managers, 1000) }, (_, i) =>
      managerOf(i, shape),
    );
    const caseloadQuery = await api.caseloadQueries(managers, 300);
    log(`  caseload query: p50 ${caseloadQuery.p50Ms} ms, p99 ${caseloadQuery.p99Ms} ms`);
    const date = today();
    const opened = await api.openCases(1000, date);
    const recordContact = await api.recordContacts(
      opened.ids,
      opened.token,
      date,
      CONNECTIONS,
      HTTP_SECONDS,
    );
    log(
      `  RecordContact: ${recordContact.commandsPerSecond}/s, p50 ${recordContact.p50Ms} ms, p99 ${recordContact.p99Ms} ms, ${recordContact.apiCpuMsPerCommand} ms API CPU per command (non-2xx ${recordContact.non2xx})`,
    );
    await api.stop();
    api = undefined;

    const swept = await sweep(sql);
    log(
      `  sweep: ${swept.cases} open cases in ${swept.seconds} s = ${swept.casesPerSecond} cases/s`,
    );
    const verified = await verifyWholeStore(sql, store);
    log(
      `  checkpoints signed in ${verified.checkpointSeconds} s; verify: ${verified.verify.ok ? 'ok' : 'FAILED'}, ${verified.verify.events} events in ${verified.verify.seconds} s = ${verified.verify.eventsPerSecond} events/s`,
    );
    return {
      events: cases * PER_CASE,
      cases,
      seedSeconds,
      diskBytes,
      diskMbPerMillionEvents,
      rawScanEventsPerSecond: Math.round(scanRate),
      rebuildSeconds: Number(rebuildSeconds.toFixed(1)),
      rebuildEventsPerSecond: Math.round(rebuildRate),
      rebuildToScan: Number((rebuildRate / scanRate).toFixed(3)),
      caseloadQuery,
      recordContact,
      sweep: swept,
      ...verified,
    };
  } finally {
    await api?.stop();
    await store.close();
    await sql.close();
    if (process.env.SCALE_KEEP !== '1') await db.drop();
  }
}

const growth = (large: number, small: number): string =>
  small > 0 ? (large / small).toFixed(2) : '–';

function markdown(date: string, small: SizeFigures, large: SizeFigures): string {
  const row = (label: string, a: number | string, b: number | string, g: string) =>
    `| ${label} | ${a} | ${b} | ${g} |`;
  return `# Scale: cost against the size of the store (${date})

PostgreSQL 15 on 127.0.0.1, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), shared with six other engineers' work (load average at the end ${loadavg()
    .map((n) => n.toFixed(2))
    .join(
      ' / ',
    )}): absolute figures move with the load; the two sizes ran one after the other in the same run.
Seeded straight into the adapter's schema with COPY (valid hash chains), ${PER_CASE} events per case, ${PER_MANAGER} cases per case manager.

| measure | ${small.events.toLocaleString('en-US')} events | ${large.events.toLocaleString('en-US')} events | large / small |
|---|---|---|---|
${[
  row(
    'seed (s)',
    small.seedSeconds,
    large.seedSeconds,
    growth(large.seedSeconds, small.seedSeconds),
  ),
  row(
    'disk, MB per million events',
    small.diskMbPerMillionEvents,
    large.diskMbPerMillionEvents,
    growth(large.diskMbPerMillionEvents, small.diskMbPerMillionEvents),
  ),
  row(
    'raw read-all scan (events/s)',
    small.rawScanEventsPerSecond,
    large.rawScanEventsPerSecond,
    growth(large.rawScanEventsPerSecond, small.rawScanEventsPerSecond),
  ),
  row(
    'caseload rebuild (events/s)',
    small.rebuildEventsPerSecond,
    large.rebuildEventsPerSecond,
    growth(large.rebuildEventsPerSecond, small.rebuildEventsPerSecond),
  ),
  row(
    'rebuild / raw scan',
    small.rebuildToScan,
    large.rebuildToScan,
    growth(large.rebuildToScan, small.rebuildToScan),
  ),
  row(
    'rebuild (s)',
    small.rebuildSeconds,
    large.rebuildSeconds,
    growth(large.rebuildSeconds, small.rebuildSeconds),
  ),
  row(
    'caseload query p50 / p99 (ms)',
    `${small.caseloadQuery.p50Ms} / ${small.caseloadQuery.p99Ms}`,
    `${large.caseloadQuery.p50Ms} / ${large.caseloadQuery.p99Ms}`,
    growth(large.caseloadQuery.p99Ms, small.caseloadQuery.p99Ms),
  ),
  row(
    'RecordContact commands/s',
    small.recordContact.commandsPerSecond,
    large.recordContact.commandsPerSecond,
    growth(large.recordContact.commandsPerSecond, small.recordContact.commandsPerSecond),
  ),
  row(
    'RecordContact p50 / p99 (ms)',
    `${small.recordContact.p50Ms} / ${small.recordContact.p99Ms}`,
    `${large.recordContact.p50Ms} / ${large.recordContact.p99Ms}`,
    growth(large.recordContact.p99Ms, small.recordContact.p99Ms),
  ),
  row(
    'API CPU per command (ms)',
    small.recordContact.apiCpuMsPerCommand,
    large.recordContact.apiCpuMsPerCommand,
    growth(large.recordContact.apiCpuMsPerCommand, small.recordContact.apiCpuMsPerCommand),
  ),
  row(
    'sweep over every open case (cases/s)',
    small.sweep.casesPerSecond,
    large.sweep.casesPerSecond,
    growth(large.sweep.casesPerSecond, small.sweep.casesPerSecond),
  ),
  row(
    'sweep (s)',
    small.sweep.seconds,
    large.sweep.seconds,
    growth(large.sweep.seconds, small.sweep.seconds),
  ),
  row(
    'signing checkpoints over the store (s)',
    small.checkpointSeconds,
    large.checkpointSeconds,
    growth(large.checkpointSeconds, small.checkpointSeconds),
  ),
  row(
    'store verification (events/s)',
    small.verify.eventsPerSecond,
    large.verify.eventsPerSecond,
    growth(large.verify.eventsPerSecond, small.verify.eventsPerSecond),
  ),
  row(
    'store verification passes',
    small.verify.ok ? 'yes' : 'NO',
    large.verify.ok ? 'yes' : 'NO',
    '',
  ),
].join('\n')}
`;
}

async function main(): Promise<void> {
  const small = await measure(SMALL);
  const large = await measure(LARGE);
  const date = new Date().toISOString().slice(0, 10);
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    eventsPerCase: PER_CASE,
    casesPerManager: PER_MANAGER,
    small,
    large,
    targets: {
      commandP99WithinOf100k: 1.25,
      commandP99Growth: Number(
        (large.recordContact.p99Ms / Math.max(1, small.recordContact.p99Ms)).toFixed(2),
      ),
      rebuildOf10MWithinSeconds: 600,
    },
  };
  const dir = join(__dirname, '..', '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `scale-${date}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `scale-${date}.md`), markdown(date, small, large));
  log(
    `\ncommand p99 large / small: ${report.targets.commandP99Growth} (target ≤ 1.25); rebuild of the large store ${large.rebuildSeconds} s (target ≤ 600 s at 10M)`,
  );
  log(`results: bench/results/scale-${date}.{json,md}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
