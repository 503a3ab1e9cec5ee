/**
 * `npm run bench:deadlines` — 10,000 cases whose soft-exit deadlines pass at
 * the same instant: seconds until all are exited and
 * visible in the caseload, exits/s, the lateness of each exit after its due
 * instant (p50/p99), next to raw BullMQ throughput (add + process of 10,000
 * no-op jobs) measured in the same run. Targets: all visible within 3 s, p99
 * lateness ≤ 2.5 s. Not a test: it prints and writes
 * bench/results/deadlines-<date>.{json,md}.
 *
 * The machinery is the worker's own: cases opened through the platform's
 * command executor, the reactor scheduling delayed jobs from the store's
 * subscription, BullMQ workers sending SoftExitCase through the executor, the
 * caseload projection running beside them. Due jobs are batched as the
 * worker batches them (CommandBatcher: one stream read and one group-committed
 * append per batch). The clock is the real one shifted
 * so that the shared deadline instant falls BENCH_LEAD_MS after the reactor
 * starts: BullMQ's timers run in real time, as in production. The issue's
 * scenario is "cases exist and their jobs are scheduled, then the common
 * deadline passes": the lead is long enough for the reactor to finish first,
 * and the run says so (a run whose reactor was still scheduling at the
 * deadline is flagged, since its lateness would include scheduling time).
 * Lateness is the CaseSoftExited append's recorded_at minus the due instant.
 *
 * Environment: DATABASE_URL (server; a throw-away database is created and
 * dropped), REDIS_URL, BENCH_CASES (10000), BENCH_CONCURRENCY (256 jobs in
 * flight), BENCH_BATCH_SIZE (128 jobs per batch; 1 turns batching off),
 * BENCH_BATCH_WAIT_MS (5) — the defaults are the worker's (DEADLINE_*), BENCH_LEAD_MS (30000), BENCH_RESULTS (the results
 * file's name, default deadlines-<date>), BENCH_PROFILE (1: a CPU profile of
 * the exit window, by package).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { cpus, loadavg, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DEFAULT_POLICIES, addDays, businessDateAt, type BusinessDate } from '@caseledger/domain';
import {
  DEADLINE_QUEUE,
  DeadlineProcessor,
  DeadlineReactor,
  DeadlineScheduler,
  ReactorCheckpoints,
  createDeadlineQueue,
  fireInstant,
  type DeadlineJobData,
  type DeadlineKind,
} from '@caseledger/deadlines';
import { createEventStore, openSqlClient } from '@caseledger/event-store';
import {
  CaseCommandExecutor,
  CommandBatcher,
  createPolicyLookup,
  type Clock,
} from '@caseledger/platform';
import { Projector, caseloadProjection, migrateProjections } from '@caseledger/projections';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createTestDatabase } from '@caseledger/testing';
import { profileByPackage, type ProfileShare } from './cpu-profile';

process.env.USER ||= userInfo().username;

const CASES = Number(process.env.BENCH_CASES ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 256);
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 30_000);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 128);
const BATCH_WAIT_MS = Number(process.env.BENCH_BATCH_WAIT_MS ?? 5);
/** The targets: every exit visible within 3 s of the deadline, p99 lateness ≤ 2.5 s. */
const TARGET_ALL_SECONDS = 3;
const TARGET_P99_SECONDS = 2.5;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AREA = 'MO-DEFAULT';
const ZONE = 'America/Chicago';

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms) / 1000;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Raw BullMQ: add 10,000 no-op jobs (in bulk) and process them, start to last completion. */
async function rawBullmq(
  redis: Redis,
  prefix: string,
): Promise<{ seconds: number; jobsPerSecond: number }> {
  const queue = new Queue('bench-noop', { connection: redis, prefix });
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const worker = new Worker(
    'bench-noop',
    () => {
      if (++done === CASES) finished();
      return Promise.resolve();
    },
    { connection: redis, prefix, concurrency: CONCURRENCY },
  );
  for (let i = 0; i < CASES; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, CASES - i) }, (_, k) => ({
        name: 'noop',
        data: { i: i + k },
        opts: { jobId: `noop-${i + k}`, removeOnComplete: true },
      })),
    );
  }
  await allDone;
  const elapsed = performance.now() - started;
  await worker.close();
  await queue.close();
  return { seconds: seconds(elapsed), jobsPerSecond: Math.round(CASES / (elapsed / 1000)) };
}

/**
 * Starts V8's profiler in this process at `fromMs` (epoch ms); the function it
 * resolves to stops it and answers self time by package (bench/cpu-profile.ts).
 */
async function startProfile(
  fromMs: number,
): Promise<() => Promise<{ busyMs: number; shares: ProfileShare[] }>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await sleep(Math.max(0, fromMs - Date.now()));
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    const dir = mkdtempSync(join(tmpdir(), 'deadlines-profile-'));
    const file = join(dir, 'exit-window.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    log(`  profile: ${file}`);
    return profileByPackage(file);
  };
}

async function main(): Promise<void> {
  const db = await createTestDatabase('bench_deadlines');
  const prefix = `clbench-deadlines-${randomUUID().slice(0, 8)}`;
  // BENCH_REDIS_AUTOPIPELINE=1: commands issued in the same tick share one write (an
  // ioredis option the worker's connection could take too); off by default, as in the worker.
  const redis = new Redis(REDIS_URL, {
    maxRetriesPerRequest: null,
    enableAutoPipelining: process.env.BENCH_REDIS_AUTOPIPELINE === '1',
  });
  const sql = await openSqlClient({ databaseUrl: db.url, max: 32 });
  try {
    log(
      `deadlines benchmark: ${CASES} cases, ${CONCURRENCY} jobs in flight, batches of up to ${BATCH_SIZE} (wait ${BATCH_WAIT_MS} ms), ${cpus().length} cores, load ${loadavg()
        .map((n) => n.toFixed(2))
        .join(' / ')}`,
    );
    const raw = await rawBullmq(redis, prefix);
    log(
      `  raw BullMQ: ${CASES} no-op jobs added and processed in ${raw.seconds} s (${raw.jobsPerSecond} jobs/s)`,
    );

    const store = await createEventStore({ sql });
    await migrateProjections(sql);
    const checkpoints = new ReactorCheckpoints(sql);
    await checkpoints.migrate();

    // Every case's 90 days end on `dueOn`; the exits are due at the start of the next local day.
    const dueOn: BusinessDate = addDays(businessDateAt(new Date(), ZONE), 30);
    const openedOn = addDays(dueOn, -90);
    const dueInstant = fireInstant(dueOn, ZONE);
    let offset = dueInstant - 3_600_000 - Date.now(); // an hour before the deadline while seeding
    const clock: Clock = { now: () => new Date(Date.now() + offset) };
    const policyOf = createPolicyLookup(DEFAULT_POLICIES);
    const timeZoneOf = (area: string) => policyOf(area)?.timeZone ?? 'UTC';
    const executor = new CaseCommandExecutor(store, policyOf, clock);

    const seedStart = performance.now();
    let next = 0;
    const caseIds: string[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < CASES) {
          const i = next++;
          const caseId = randomUUID();
          caseIds.push(caseId);
          await executor.execute({
            caseId,
            command: {
              type: 'OpenCase',
              data: {
                caseId,
                customer: { id: `cust-${i}`, firstName: 'Customer', lastName: `No. ${i}` },
                program: 'WIOA_ADULT',
                careerCenterId: `cc-${i % 20}`,
                localAreaId: AREA,
                caseManagerId: `cm-${i % 500}`,
                openedOn,
              },
            },
            actor: { staffId: 'bench', role: 'admin', careerCenterId: 'hq' },
            commandId: `open-${caseId}`,
            correlationId: `bench-${i}`,
          });
        }
      }),
    );
    const seedSeconds = seconds(performance.now() - seedStart);
    log(`  seeded ${CASES} cases (OpenCase through the executor) in ${seedSeconds} s`);

    const projector = new Projector(sql, store, caseloadProjection, { batchSize: 1000 });
    await projector.start();
    await projector.waitUntilCaughtUp();
    const reactorStartHead = await store.headPosition();

    // The deadline now falls LEAD_MS from now (real time); the reactor schedules from here.
    const dueReal = Date.now() + LEAD_MS;
    offset = dueInstant - dueReal;
    const queue = createDeadlineQueue(redis, prefix, { attempts: 5, backoffMs: 200 });
    const scheduler = new DeadlineScheduler(queue, clock);
    const reactor = new DeadlineReactor(store, checkpoints, scheduler, timeZoneOf, {
      batchSize: 1000,
      concurrency: 32,
    });
    const reactorStart = performance.now();
    reactor.start();
    const batchSizes: number[] = [];
    const processor = new DeadlineProcessor(
      new CommandBatcher(executor, {
        maxBatchSize: BATCH_SIZE,
        waitMs: BATCH_WAIT_MS,
        onBatch: (jobs) => batchSizes.push(jobs),
      }),
      clock,
      timeZoneOf,
    );
    const worker = new Worker<DeadlineJobData, unknown, DeadlineKind>(
      DEADLINE_QUEUE,
      (job, token) => processor.process(job, token),
      { connection: redis, prefix, concurrency: CONCURRENCY },
    );
    while (
      !reactor.processedUpTo ||
      (reactorStartHead && reactor.processedUpTo.commit < reactorStartHead.commit)
    ) {
      await sleep(20);
    }
    const reactorSeconds = seconds(performance.now() - reactorStart);
    const scheduledAheadSeconds = seconds(dueReal - Date.now());
    const delayed = await queue.getJobCountByTypes('delayed');
    log(
      `  reactor scheduled ${delayed} delayed jobs in ${reactorSeconds} s; deadline in ${scheduledAheadSeconds} s`,
    );
    if (scheduledAheadSeconds <= 0) {
      log('  WARNING: the reactor was still scheduling at the deadline; raise BENCH_LEAD_MS');
    }

    // BENCH_PROFILE=1: a CPU profile of this process from the deadline to the last exit seen.
    const profiling = process.env.BENCH_PROFILE === '1' ? await startProfile(dueReal) : undefined;
    // Wait for every exit to be visible in the caseload.
    let visibleAt = 0;
    for (;;) {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM caseload WHERE status = 'SOFT_EXITED'`,
      );
      if (Number(rows[0].n) >= CASES) {
        visibleAt = Date.now();
        break;
      }
      if (Date.now() - dueReal > 300_000)
        throw new Error(`only ${rows[0].n} exits after 5 minutes`);
      await sleep(25);
    }
    const profile = profiling ? await profiling() : undefined;
    if (profile) {
      log(`  CPU profile of the exit window (${profile.busyMs} ms busy), by package:`);
      for (const share of profile.shares.slice(0, 12))
        log(`    ${share.percent.toFixed(1).padStart(5)} %  ${share.owner}`);
    }
    const { rows: exits } = await sql.query<{ recorded: string }>(
      `SELECT (extract(epoch FROM recorded_at) * 1000)::text AS recorded FROM es_events WHERE type = 'CaseSoftExited'`,
    );
    // Transactions that carried the exits (group commit: one per batch of appends).
    const { rows: txRows } = await sql.query<{ n: string }>(
      `SELECT count(DISTINCT txid)::text AS n FROM es_events WHERE type = 'CaseSoftExited'`,
    );
    const lateness = exits.map((r) => (Number(r.recorded) - dueReal) / 1000).sort((a, b) => a - b);
    const lastExit = lateness[lateness.length - 1];
    const allVisible = seconds(visibleAt - dueReal);
    const p99 = percentile(lateness, 99);
    const sortedBatches = [...batchSizes].sort((a, b) => a - b);
    const report = {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, loadavg: loadavg() },
      cases: CASES,
      concurrency: CONCURRENCY,
      batch: { maxSize: BATCH_SIZE, waitMs: BATCH_WAIT_MS },
      redisAutoPipelining: process.env.BENCH_REDIS_AUTOPIPELINE === '1',
      rawBullmq: raw,
      seedSeconds,
      reactorScheduleSeconds: reactorSeconds,
      leadSeconds: LEAD_MS / 1000,
      scheduledBeforeDeadline: scheduledAheadSeconds > 0,
      exits: exits.length,
      allExitedSeconds: lastExit,
      allVisibleInCaseloadSeconds: allVisible,
      exitsPerSecond: Math.round(exits.length / Math.max(lastExit, 0.001)),
      latenessSeconds: {
        min: lateness[0],
        p50: percentile(lateness, 50),
        p99,
        max: lastExit,
      },
      batches: {
        count: batchSizes.length,
        jobsP50: percentile(sortedBatches, 50),
        jobsMax: sortedBatches[sortedBatches.length - 1] ?? 0,
      },
      exitTransactions: Number(txRows[0].n),
      ...(profile
        ? { exitWindowProfile: { busyMs: profile.busyMs, shares: profile.shares.slice(0, 15) } }
        : {}),
      targets: { allWithinSeconds: TARGET_ALL_SECONDS, p99LatenessSeconds: TARGET_P99_SECONDS },
      met: {
        allWithinTarget: allVisible <= TARGET_ALL_SECONDS,
        p99WithinTarget: p99 <= TARGET_P99_SECONDS,
      },
    };
    const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
    log(
      `  exits: ${report.exits}; all exited ${report.allExitedSeconds} s after the deadline, all visible in the caseload after ${report.allVisibleInCaseloadSeconds} s`,
    );
    log(
      `  ${report.exitsPerSecond} exits/s; lateness p50 ${report.latenessSeconds.p50} s, p99 ${report.latenessSeconds.p99} s, max ${report.latenessSeconds.max} s`,
    );
    log(
      `  ${report.batches.count} batches (median ${report.batches.jobsP50} jobs, largest ${report.batches.jobsMax}); the exits were written by ${report.exitTransactions} transactions`,
    );
    log(
      `  targets: all visible within ${TARGET_ALL_SECONDS} s ${verdict(report.met.allWithinTarget)}; p99 lateness ≤ ${TARGET_P99_SECONDS} s ${verdict(report.met.p99WithinTarget)}`,
    );

    await worker.close();
    await reactor.stop();
    await projector.stop();
    await queue.close();
    await store.close();

    const day = report.date.slice(0, 10);
    const base = process.env.BENCH_RESULTS ?? join(__dirname, 'results', `deadlines-${day}`);
    mkdirSync(dirname(base), { recursive: true });
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      `${base}.md`,
      [
        `# Deadlines benchmark (${report.date})`,
        '',
        `${CASES} cases whose soft-exit deadlines pass at the same instant, on PostgreSQL and Redis, ${report.machine.cores} cores (load ${report.machine.loadavg.map((n) => n.toFixed(2)).join(' / ')}); ${CONCURRENCY} jobs in flight, batches of up to ${BATCH_SIZE} jobs (wait ${BATCH_WAIT_MS} ms).`,
        '',
        '| measure | value |',
        '|---|---|',
        `| raw BullMQ, add + process ${CASES} no-op jobs | ${raw.seconds} s (${raw.jobsPerSecond} jobs/s) |`,
        `| all cases exited after the deadline | ${report.allExitedSeconds} s |`,
        `| all exits visible in the caseload | ${report.allVisibleInCaseloadSeconds} s |`,
        `| exits/s | ${report.exitsPerSecond} |`,
        `| lateness p50 / p99 / max | ${report.latenessSeconds.p50} / ${report.latenessSeconds.p99} / ${report.latenessSeconds.max} s |`,
        `| batches (median / largest jobs) | ${report.batches.count} (${report.batches.jobsP50} / ${report.batches.jobsMax}) |`,
        `| transactions that wrote the exits | ${report.exitTransactions} |`,
        `| reactor scheduling ${CASES} jobs (catch-up) | ${reactorSeconds} s (done ${scheduledAheadSeconds} s before the deadline) |`,
        `| seeding ${CASES} OpenCase commands | ${seedSeconds} s |`,
        '',
        `Targets: all visible within ${TARGET_ALL_SECONDS} s — ${verdict(report.met.allWithinTarget)}; p99 lateness ≤ ${TARGET_P99_SECONDS} s — ${verdict(report.met.p99WithinTarget)}.`,
        '',
      ].join('\n'),
    );
    log(`  results: ${base}.{json,md}`);
  } finally {
    await deletePrefix(redis, prefix);
    await redis.quit();
    await sql.close();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
