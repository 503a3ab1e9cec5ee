/**
 * `npm run bench:projections` — rebuilding the caseload projection from
 * 1,000,000 events (50,000 cases × 20 events) on PostgreSQL, next to the raw
 * read-all scan rate of the same events measured in the same run (target:
 * rebuild ≥ 0.3× raw scan). Not a test: it prints and
 * writes bench/results/projections-<date>.{json,md}.
 *
 * Seeding writes the store's own table format directly with server-side
 * INSERT … SELECT (hash chains are not verified by read-all or the projection).
 * Events of a cohort of cases are interleaved round by round, so each batch
 * touches many cases (BENCH_COHORT cases per cohort, default 1,000).
 *
 * Environment: DATABASE_URL (server; a throw-away database is created and
 * dropped), BENCH_CASES (50000), BENCH_EVENTS_PER_CASE (20), BENCH_BATCH (5000).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, userInfo } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, createPgSqlClient, type Position } from '@caseledger/event-store';
import {
  caseloadProjection,
  countRows,
  migrateProjections,
  rebuildProjection,
} from '@caseledger/projections';
import { createTestDatabase } from '@caseledger/testing';
import { caseEventSql, seedCases } from './support/seed-cases';

process.env.USER ||= userInfo().username;

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const PER_CASE = Number(process.env.BENCH_EVENTS_PER_CASE ?? 20);
const COHORT = Number(process.env.BENCH_COHORT ?? 1_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);

const log = (line: string) => process.stdout.write(`${line}\n`);

const EVENT_SQL = caseEventSql();

async function rawScan(store: PostgresEventStore): Promise<{ events: number; seconds: number }> {
  const started = process.hrtime.bigint();
  let events = 0;
  let from: Position | undefined;
  // The same pipelining the rebuild uses: the next page is requested before this one is counted.
  let next = store.readAll(from, BATCH);
  for (;;) {
    const page = await next;
    const last = page[page.length - 1];
    if (!last) break;
    next = store.readAll(last.position, BATCH);
    events += page.length;
    from = last.position;
  }
  return { events, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_projections');
  const sql = createPgSqlClient(db.url, { max: 4 });
  const store = await PostgresEventStore.create(sql);
  try {
    await migrateProjections(sql);
    log(
      `caseload rebuild benchmark: ${CASES} cases × ${PER_CASE} events = ${CASES * PER_CASE} events, cohorts of ${COHORT}, batch ${BATCH}`,
    );
    const seedStart = Date.now();
    await seedCases(sql, { cases: CASES, perCase: PER_CASE, cohort: COHORT, eventSql: EVENT_SQL });
    log(`  seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    // Warm the cache the same way for both: one scan first, then measure scan, rebuild, scan.
    await rawScan(store);
    const scan1 = await rawScan(store);
    log(
      `  raw read-all scan: ${scan1.events} events in ${scan1.seconds.toFixed(2)} s = ${Math.round(scan1.events / scan1.seconds)} events/s`,
    );

    const started = process.hrtime.bigint();
    const result = await rebuildProjection(sql, store, caseloadProjection, { batchSize: BATCH });
    const rebuildSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = await countRows(sql, caseloadProjection.table);
    log(
      `  rebuild: ${result.events} events, ${rows} rows in ${rebuildSeconds.toFixed(2)} s = ${Math.round(result.events / rebuildSeconds)} events/s`,
    );

    const scan2 = await rawScan(store);
    log(`  raw read-all scan again: ${Math.round(scan2.events / scan2.seconds)} events/s`);
    const scanRate = Math.max(scan1.events / scan1.seconds, scan2.events / scan2.seconds);
    const rebuildRate = result.events / rebuildSeconds;
    const ratio = rebuildRate / scanRate;
    log(`  ratio rebuild / raw scan: ${ratio.toFixed(3)} (target ≥ 0.5)`);

    const date = new Date().toISOString().slice(0, 10);
    const report = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      events: result.events,
      cases: CASES,
      eventsPerCase: PER_CASE,
      cohort: COHORT,
      batchSize: BATCH,
      rows,
      rawScanEventsPerSecond: Math.round(scanRate),
      rawScanRuns: [scan1, scan2].map((s) => Math.round(s.events / s.seconds)),
      rebuildSeconds: Number(rebuildSeconds.toFixed(2)),
      rebuildEventsPerSecond: Math.round(rebuildRate),
      ratio: Number(ratio.toFixed(3)),
      target: 0.5,
    };
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `projections-${date}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      join(dir, `projections-${date}.md`),
      `# Caseload rebuild vs raw read-all scan (${date})

PostgreSQL, ${report.machine.cpus} cores (${report.machine.model ?? 'unknown'}), load average at the end ${report.machine.loadavg.map((n) => n.toFixed(2)).join(' / ')}.
${CASES} cases × ${PER_CASE} events = ${result.events} events, interleaved in cohorts of ${COHORT} cases; batches of ${BATCH}.

| measure | events/s |
|---|---|
| raw read-all scan (best of the runs before and after) | ${report.rawScanEventsPerSecond} |
| caseload rebuild (shadow table, swap) | ${report.rebuildEventsPerSecond} |
| **ratio** | **${report.ratio}** (target ≥ 0.5) |

Rebuild: ${report.rebuildSeconds} s for ${rows} rows.
`,
    );
    log(`  results: bench/results/projections-${date}.{json,md}`);
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
