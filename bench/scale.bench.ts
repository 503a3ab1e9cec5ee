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
import { createTestDatabase, freePort } from '@caseledger/testing';
import { ApiChild, type CommandFigures, type QueryFigures } from './support/api-child';
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

/** The figures so far, written after every step: a long run leaves what it measured. */
const results: { small: Partial<SizeFigures>; large: Partial<SizeFigures> } = {
  small: {},
  large: {},
};
const DATE = new Date().toISOString().slice(0, 10);
const RESULTS_DIR = join(__dirname, 'results');

function save(): void {
  const { small, large } = results;
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
    eventsPerCase: PER_CASE,
    casesPerManager: PER_MANAGER,
    complete: large.verify !== undefined,
    small,
    large,
    targets: {
      commandP99WithinOf100k: 1.25,
      commandP99Growth:
        large.recordContact && small.recordContact
          ? Number((large.recordContact.p99Ms / Math.max(1, small.recordContact.p99Ms)).toFixed(2))
          : null,
      rebuildOf10MWithinSeconds: 600,
    },
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `scale-${DATE}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `scale-${DATE}.md`), markdown(small, large));
}

async function measure(events: number, figures: Partial<SizeFigures>): Promise<void> {
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
    await seed(db.url, shape, figures);
    save();

    // The command path first: it needs no read model (the API reads the case's stream).
    api = await ApiChild.start(db.url);
    const date = today();
    const opened = await api.openCases(1000, date, 'scale');
    const rc = await api.recordContacts(opened.ids, opened.token, date, CONNECTIONS, HTTP_SECONDS);
    log(
      `  RecordContact: ${rc.commandsPerSecond}/s, p50 ${rc.p50Ms} ms, p99 ${rc.p99Ms} ms, ${rc.apiCpuMsPerCommand} ms API CPU per command (non-2xx ${rc.non2xx})`,
    );
    figures.recordContact = rc;
    save();

    await rawScan(store); // warm the cache the same way for the scan and the rebuild
    const scanRate = await rawScan(store);
    figures.rawScanEventsPerSecond = Math.round(scanRate);
    log(`  raw read-all scan: ${Math.round(scanRate)} events/s`);
    save();
    const rebuilding = process.hrtime.bigint();
    const rebuilt = await rebuildProjection(sql, store, caseloadProjection, { batchSize: PAGE });
    const rebuildSeconds = seconds(rebuilding);
    const rebuildRate = rebuilt.events / rebuildSeconds;
    Object.assign(figures, {
      rebuildSeconds: Number(rebuildSeconds.toFixed(1)),
      rebuildEventsPerSecond: Math.round(rebuildRate),
      rebuildToScan: Number((rebuildRate / scanRate).toFixed(3)),
    });
    log(
      `  rebuild: ${rebuilt.events} events, ${rebuilt.rows} rows in ${rebuildSeconds.toFixed(1)} s = ${Math.round(rebuildRate)} events/s (${(rebuildRate / scanRate).toFixed(3)}× the scan)`,
    );
    save();

    const managers = Array.from({ length: Math.min(shape.managers, 1000) }, (_, i) =>
      managerOf(i, shape),
    );
    figures.caseloadQuery = await api.caseloadQueries(managers, 300);
    log(
      `  caseload query: p50 ${figures.caseloadQuery.p50Ms} ms, p99 ${figures.caseloadQuery.p99Ms} ms`,
    );
    await api.stop();
    api = undefined;
    save();

    figures.sweep = await sweep(sql);
    log(
      `  sweep: ${figures.sweep.cases} open cases in ${figures.sweep.seconds} s = ${figures.sweep.casesPerSecond} cases/s`,
    );
    save();
    Object.assign(figures, await verifyWholeStore(sql, store));
    log(
      `  checkpoints signed in ${figures.checkpointSeconds} s; verify: ${figures.verify?.ok ? 'ok' : 'FAILED'}, ${figures.verify?.events} events in ${figures.verify?.seconds} s = ${figures.verify?.eventsPerSecond} events/s`,
    );
    save();
  } finally {
    await api?.stop();
    await store.close();
    await sql.close();
    if (process.env.SCALE_KEEP !== '1') await db.drop();
  }
}

async function seed(url: string, shape: SeedShape, figures: Partial<SizeFigures>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const seeding = process.hrtime.bigint();
  try {
    await seedStore(client, shape, (done) => {
      if (done % (COHORT * 25) === 0 || done === shape.cases)
        process.stdout.write(`\r  seeded ${done} cases`);
    });
    const seedSeconds = Number(seconds(seeding).toFixed(1));
    const { rows } = await client.query<{ bytes: string }>(
      `SELECT (pg_total_relation_size('es_events') + pg_total_relation_size('es_streams'))::text AS bytes`,
    );
    const diskBytes = Number(rows[0].bytes);
    const events = shape.cases * shape.perCase;
    const diskMbPerMillionEvents = Number((diskBytes / 1e6 / (events / 1e6)).toFixed(1));
    Object.assign(figures, {
      events,
      cases: shape.cases,
      seedSeconds,
      diskBytes,
      diskMbPerMillionEvents,
    });
    log(
      `\n  seeded in ${seedSeconds} s; disk ${(diskBytes / 1e9).toFixed(2)} GB = ${diskMbPerMillionEvents} MB per million events`,
    );
  } finally {
    await client.end();
  }
}

const growth = (large: number | undefined, small: number | undefined): string =>
  large !== undefined && small !== undefined && small > 0 ? (large / small).toFixed(2) : '–';
const shown = (value: number | string | undefined): string =>
  value === undefined ? 'not reached' : String(value);

function markdown(small: Partial<SizeFigures>, large: Partial<SizeFigures>): string {
  type Pick = (f: Partial<SizeFigures>) => number | undefined;
  const row = (label: string, pick: Pick, text?: (f: Partial<SizeFigures>) => string | undefined) =>
    `| ${label} | ${shown(text ? text(small) : pick(small))} | ${shown(text ? text(large) : pick(large))} | ${growth(pick(large), pick(small))} |`;
  const pair = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? undefined : `${a} / ${b}`;
  return `# Scale: cost against the size of the store (${DATE})

PostgreSQL 15 on 127.0.0.1, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}) (load average when written ${loadavg()
    .map((n) => n.toFixed(2))
    .join(
      ' / ',
    )}): absolute figures move with the load; the two sizes ran one after the other in the same run.
Seeded straight into the adapter's schema with COPY (valid hash chains), ${PER_CASE} events per case, ${PER_MANAGER} cases per case manager.
${large.verify === undefined ? '\n**Incomplete run**: the large store had not reached every step when this was written ("not reached").\n' : ''}
| measure | ${shown(small.events)} events | ${shown(large.events ?? LARGE)} events | large / small |
|---|---|---|---|
${[
  row('seed (s)', (f) => f.seedSeconds),
  row('disk, MB per million events', (f) => f.diskMbPerMillionEvents),
  row('RecordContact commands/s', (f) => f.recordContact?.commandsPerSecond),
  row(
    'RecordContact p50 / p99 (ms); growth of p99',
    (f) => f.recordContact?.p99Ms,
    (f) => pair(f.recordContact?.p50Ms, f.recordContact?.p99Ms),
  ),
  row('API CPU per command (ms)', (f) => f.recordContact?.apiCpuMsPerCommand),
  row('raw read-all scan (events/s)', (f) => f.rawScanEventsPerSecond),
  row('caseload rebuild (events/s)', (f) => f.rebuildEventsPerSecond),
  row('rebuild / raw scan', (f) => f.rebuildToScan),
  row('rebuild (s)', (f) => f.rebuildSeconds),
  row(
    'caseload query p50 / p99 (ms); growth of p99',
    (f) => f.caseloadQuery?.p99Ms,
    (f) => pair(f.caseloadQuery?.p50Ms, f.caseloadQuery?.p99Ms),
  ),
  row('sweep over every open case (cases/s)', (f) => f.sweep?.casesPerSecond),
  row('sweep (s)', (f) => f.sweep?.seconds),
  row('signing checkpoints over the store (s)', (f) => f.checkpointSeconds),
  row('store verification (events/s)', (f) => f.verify?.eventsPerSecond),
  row(
    'store verification passes',
    () => undefined,
    (f) => (f.verify === undefined ? undefined : f.verify.ok ? 'yes' : 'NO'),
  ),
].join('\n')}
`;
}

async function main(): Promise<void> {
  await measure(SMALL, results.small);
  await measure(LARGE, results.large);
  save();
  const growthOfP99 =
    results.large.recordContact && results.small.recordContact
      ? (
          results.large.recordContact.p99Ms / Math.max(1, results.small.recordContact.p99Ms)
        ).toFixed(2)
      : '–';
  log(
    `\ncommand p99 large / small: ${growthOfP99} (target ≤ 1.25); rebuild of the large store ${results.large.rebuildSeconds} s (target ≤ 600 s at 10M)`,
  );
  log(`results: bench/results/scale-${DATE}.{json,md}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
