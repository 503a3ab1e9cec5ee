/**
 * `npm run bench:reports` — the exit report and a policy what-if folded from
 * 1,000,000 events (50,000 cases × 20 events) on PostgreSQL, next to a raw
 * keyset scan of the same events (`readAll` page after page) measured in the
 * same run (issue "Reports": each ≥ 0.3× the raw scan, in constant memory).
 * Not a test: it prints and writes bench/results/reports-<date>.{json,md}.
 *
 * Seeding follows bench/projections.bench.ts: the store's own table format,
 * written server-side with INSERT … SELECT, cases interleaved round by round
 * in cohorts. A quarter of the cases end in a soft exit (their last event),
 * so the report has rows; qualifying contacts fall every 18 days, so a
 * 15-day soft-exit window in the what-if changes every case.
 *
 * Environment: DATABASE_URL (server; a throw-away database is created and
 * dropped), BENCH_CASES (50000), BENCH_EVENTS_PER_CASE (20), BENCH_BATCH (5000),
 * BENCH_COHORT (1000), BENCH_HORIZON_WAIT_MS (120000: how long the seeded
 * events may stay unreadable behind a transaction elsewhere on the server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, userInfo } from 'node:os';
import { join } from 'node:path';
import { businessDate, createPolicyBook, DEFAULT_POLICIES } from '@caseledger/domain';
import {
  PostgresEventStore,
  createPgSqlClient,
  sqlStoreTail,
  type Position,
  type SqlClient,
} from '@caseledger/event-store';
import { buildExitReport, pinPosition, runWhatIf } from '@caseledger/reports';
import { createTestDatabase } from '@caseledger/testing';
import { ON, caseEventSql, seedCases } from './support/seed-cases';

process.env.USER ||= userInfo().username;

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const PER_CASE = Number(process.env.BENCH_EVENTS_PER_CASE ?? 20);
const COHORT = Number(process.env.BENCH_COHORT ?? 1_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);

const log = (line: string) => process.stdout.write(`${line}\n`);

const LAST = PER_CASE - 1;
/** The last qualifying contact of a case: r = 2, 8, 14… at r × 3 days. */
const LAST_CONTACT_R = `(2 + 6 * ((${LAST} - 1 - 2) / 6))`;
const SOFT_EXIT = `r = ${LAST} AND c % 4 = 0`;

/** The domain's events, with a soft exit as the last event of every fourth case (and a program mix). */
const EVENT_SQL = caseEventSql({
  programSql: `CASE WHEN c % 3 = 0 THEN 'WIOA_DISLOCATED_WORKER' ELSE 'WIOA_ADULT' END`,
  last: {
    when: SOFT_EXIT,
    type: 'CaseSoftExited',
    dataSql: `jsonb_build_object('exitDate', ${ON(`${LAST_CONTACT_R} * 3`)},
         'dueOn', ${ON(`${LAST_CONTACT_R} * 3 + 90`)}, 'detectedOn', ${ON(`${LAST_CONTACT_R} * 3 + 91`)})`,
  },
});

const gc = (globalThis as { gc?: () => void }).gc;

/**
 * Resident set size when `work` starts (after a full collection, with
 * --expose-gc) and its peak while it runs (sampled every 20 ms).
 */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; startRssMb: number; peakRssMb: number }> {
  gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = process.hrtime.bigint();
  try {
    const value = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      value,
      seconds,
      startRssMb: Math.round(start / 1048576),
      peakRssMb: Math.round(peak / 1048576),
    };
  } finally {
    clearInterval(timer);
  }
}

/** How long the seeded events may stay behind the read horizon before the run gives up. */
const HORIZON_WAIT_MS = Number(process.env.BENCH_HORIZON_WAIT_MS ?? 120_000);

/**
 * What holds the read horizon back: the oldest transactions with an id still
 * running on the server, in any database (transaction ids are the server's,
 * so `pg_snapshot_xmin` is held back by every database's work), and prepared
 * transactions, which hold it until committed or rolled back.
 */
async function horizonHolders(sql: SqlClient): Promise<string[]> {
  const { rows: running } = await sql.query<{
    pid: number;
    datname: string | null;
    application_name: string;
    state: string | null;
    since: string | null;
    query: string;
  }>(
    `SELECT pid, datname, application_name, state, xact_start::text AS since,
            left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
       FROM pg_stat_activity
      WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()
      ORDER BY age(backend_xid) DESC
      LIMIT 3`,
  );
  const { rows: prepared } = await sql.query<{ gid: string; database: string; prepared: string }>(
    'SELECT gid, database, prepared::text AS prepared FROM pg_prepared_xacts ORDER BY prepared',
  );
  return [
    ...running.map(
      (r) =>
        `pid ${r.pid} in database "${r.datname ?? '?'}"${r.application_name ? ` (${r.application_name})` : ''}, in a transaction since ${r.since ?? '?'}, ${r.state ?? '?'}: ${r.query}`,
    ),
    ...prepared.map(
      (p) => `prepared transaction "${p.gid}" in database "${p.database}" since ${p.prepared}`,
    ),
  ];
}

/**
 * The position of the newest seeded event, once the store's read horizon has
 * passed it: the reports are pinned there, so they read every seeded event.
 * The horizon is the oldest transaction still running on the whole server, so
 * a long one in another database (a bench's index build, a session left idle
 * in a transaction) holds it back; the wait is bounded and its error names the
 * transactions that held it.
 */
async function pinAllSeeded(sql: SqlClient, store: PostgresEventStore): Promise<Position> {
  // The store's own tail query (its ORDER BY names the columns: sorted as the
  // text aliases, seq '999' came after '8000' and the wait never ended).
  const newest = await sqlStoreTail(sql)();
  if (!newest) throw new Error('nothing was seeded');
  log(`  newest seeded event at ${newest.commit}/${newest.prepare}`);
  const started = Date.now();
  for (;;) {
    const head = await pinPosition(store, undefined);
    if (head.commit === newest.commit && head.prepare === newest.prepare) {
      if (Date.now() - started > 1_000)
        log(
          `  read horizon passed the seeded events after ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      return head;
    }
    if (Date.now() - started > HORIZON_WAIT_MS) {
      const holders = await horizonHolders(sql);
      throw new Error(
        `the read horizon stayed below the newest seeded event (${newest.commit}/${newest.prepare}; readable up to ${head.commit}/${head.prepare}) for ${HORIZON_WAIT_MS / 1000} s (BENCH_HORIZON_WAIT_MS). ` +
          `It is the oldest transaction still running on this PostgreSQL server, in any database; ` +
          (holders.length > 0
            ? `the oldest now: ${holders.join('; ')}. Let it finish (or end it) and run again.`
            : 'none is running now: run again.'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The baseline: the same keyset scan the reports use, counting events and nothing else. */
async function rawScan(store: PostgresEventStore): Promise<number> {
  let events = 0;
  let next = store.readAll(undefined, BATCH);
  for (;;) {
    const page = await next;
    const last = page[page.length - 1];
    if (!last) break;
    next = store.readAll(last.position, BATCH);
    events += page.length;
  }
  return events;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_reports');
  const sql = createPgSqlClient(db.url, { max: 4 });
  const store = await PostgresEventStore.create(sql);
  const book = createPolicyBook(DEFAULT_POLICIES);
  try {
    log(
      `reports benchmark: ${CASES} cases × ${PER_CASE} events = ${CASES * PER_CASE} events, cohorts of ${COHORT}, batch ${BATCH}`,
    );
    const seedStart = Date.now();
    await seedCases(sql, { cases: CASES, perCase: PER_CASE, cohort: COHORT, eventSql: EVENT_SQL });
    log(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const position = await pinAllSeeded(sql, store);
    const params = { from: businessDate('2024-01-01'), to: businessDate('2024-12-31') };

    await rawScan(store); // warm the cache the same way for every measure
    const scan1 = await measured(() => rawScan(store));
    const rate = (events: number, seconds: number) => Math.round(events / seconds);
    log(
      `  raw keyset scan: ${scan1.value} events in ${scan1.seconds.toFixed(2)} s = ${rate(scan1.value, scan1.seconds)} events/s, RSS ${scan1.startRssMb} → peak ${scan1.peakRssMb} MB`,
    );

    let exitEvents = 0;
    const exits = await measured(() =>
      buildExitReport(store, params, {}, position, {
        batchSize: BATCH,
        onProgress: (p) => {
          exitEvents = p.events;
        },
      }),
    );
    log(
      `  exit report: ${exits.value.totals.exits} exits in ${exits.seconds.toFixed(2)} s = ${rate(exitEvents, exits.seconds)} events/s, RSS ${exits.startRssMb} → peak ${exits.peakRssMb} MB`,
    );
    let whatIfEvents = 0;
    const whatIf = await measured(() =>
      runWhatIf(
        store,
        { ...params, policyOverrides: { softExitAfterDays: 15 } },
        {},
        position,
        book.policyOf,
        {
          batchSize: BATCH,
          onProgress: (p) => {
            whatIfEvents = p.events;
          },
        },
      ),
    );
    log(
      `  what-if (15-day soft exit): ${whatIf.value.totals.casesWithDifferences} of ${whatIf.value.totals.cases} cases differ, ${whatIf.seconds.toFixed(2)} s = ${rate(whatIfEvents, whatIf.seconds)} events/s, RSS ${whatIf.startRssMb} → peak ${whatIf.peakRssMb} MB`,
    );
    const scan2 = await measured(() => rawScan(store));
    log(`  raw keyset scan again: ${rate(scan2.value, scan2.seconds)} events/s`);

    const scanRate = Math.max(rate(scan1.value, scan1.seconds), rate(scan2.value, scan2.seconds));
    const exitRate = rate(exitEvents, exits.seconds);
    const whatIfRate = rate(whatIfEvents, whatIf.seconds);
    const exitRatio = Number((exitRate / scanRate).toFixed(3));
    const whatIfRatio = Number((whatIfRate / scanRate).toFixed(3));
    log(`  ratio exit report / raw scan: ${exitRatio} (target ≥ 0.3)`);
    log(`  ratio what-if / raw scan: ${whatIfRatio} (target ≥ 0.3)`);

    const date = new Date().toISOString().slice(0, 10);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      events: scan1.value,
      cases: CASES,
      eventsPerCase: PER_CASE,
      cohort: COHORT,
      batchSize: BATCH,
      rawScanEventsPerSecond: scanRate,
      rawScanRuns: [rate(scan1.value, scan1.seconds), rate(scan2.value, scan2.seconds)],
      rawScanRssMb: { start: scan1.startRssMb, peak: scan1.peakRssMb },
      exitReport: {
        seconds: Number(exits.seconds.toFixed(2)),
        eventsPerSecond: exitRate,
        events: exitEvents,
        exits: exits.value.totals.exits,
        rssMb: { start: exits.startRssMb, peak: exits.peakRssMb },
        ratio: exitRatio,
      },
      whatIf: {
        overrides: { softExitAfterDays: 15 },
        seconds: Number(whatIf.seconds.toFixed(2)),
        eventsPerSecond: whatIfRate,
        events: whatIfEvents,
        cases: whatIf.value.totals.cases,
        casesWithDifferences: whatIf.value.totals.casesWithDifferences,
        rssMb: { start: whatIf.startRssMb, peak: whatIf.peakRssMb },
        ratio: whatIfRatio,
      },
      target: 0.3,
    };
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `reports-${date}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      join(dir, `reports-${date}.md`),
      `# Exit report and what-if vs raw keyset scan (${date})

PostgreSQL, ${report.machine.cpus} cores (${report.machine.model ?? 'unknown'}), load average at the end ${report.machine.loadavg.map((n) => n.toFixed(2)).join(' / ')}.
${CASES} cases × ${PER_CASE} events = ${report.events} events, interleaved in cohorts of ${COHORT} cases; pages of ${BATCH}.

| measure | events/s | ratio | RSS at start → peak |
|---|---|---|---|
| raw keyset scan (\`readAll\`, best of the runs before and after) | ${scanRate} | 1 | ${scan1.startRssMb} → ${scan1.peakRssMb} MB |
| exit report (fold every case with \`evolve\`, ${report.exitReport.exits} exits) | ${exitRate} | **${exitRatio}** | ${exits.startRssMb} → ${exits.peakRssMb} MB |
| what-if, 15-day soft exit (two replays per case through \`decide\`/\`evolve\`; ${report.whatIf.casesWithDifferences} of ${report.whatIf.cases} cases differ) | ${whatIfRate} | **${whatIfRatio}** | ${whatIf.startRssMb} → ${whatIf.peakRssMb} MB |

Target: each ≥ 0.3× the raw scan. Memory: the scan holds one page at a
time; the fold keeps one compact state per case (free text and names
dropped), so it grows with the number of cases, not with the events.
`,
    );
    log(`  results: bench/results/reports-${date}.{json,md}`);
  } finally {
    await store.close();
    await sql.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
