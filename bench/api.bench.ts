/**
 * `npm run bench:api` — RecordContact over HTTP on PostgreSQL, next
 * to the raw one-transaction-per-event INSERT rate measured in the same run on
 * the same server. Not a test: it prints and writes bench/results/api-<date>.{json,md}.
 *
 * The API runs as a child process from the built output (`nest build api`),
 * API side only (CASELEDGER_WORKER=off), against a throw-away database on
 * 127.0.0.1; autocannon drives 32 connections over 1,000 open cases.
 * API_WORKERS=N is passed through (node:cluster: the API's CPU is then the
 * primary's plus its N processes'). BENCH_API_PROFILE=1 runs the API under
 * `node --cpu-prof` and publishes the measured run's CPU by package.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileByPackage, type ProfileShare } from './cpu-profile';
import { ApiChild, contactBody, processCpuSeconds, requireOnly } from './support/api-child';
import { Client, Pool } from 'pg';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 15);
const RAW_DURATION_S = Number(process.env.BENCH_RAW_DURATION ?? 10);
/**
 * Open cases the load is spread over. A career center's open caseload runs to
 * hundreds or thousands of cases, and commands for one case come from its one
 * case manager: 1,000 cases under 32 connections makes two in-flight commands
 * on the same case rare, as in service (64 cases made them common and measured
 * retries and ever-longer streams instead). Conflict retries are reported.
 */
const CASES = Number(process.env.BENCH_CASES ?? 1000);
const FLOOR_DURATION_S = Number(process.env.BENCH_FLOOR_DURATION ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3990);
/** The PostgreSQL server (like the other benches: DATABASE_URL's); a throw-away database is made on it. */
const SERVER =
  process.env.BENCH_DATABASE_SERVER ??
  process.env.DATABASE_URL ??
  'postgres://postgres:postgres@127.0.0.1:5432/postgres';

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A ~400-byte event like the store's, inserted one transaction each by `writers` writers. */
async function rawInsertRate(url: string, writers: number, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: writers });
  await pool.query(`CREATE TABLE raw_events (
    position bigserial PRIMARY KEY, stream_id text NOT NULL, revision integer NOT NULL,
    event_id uuid NOT NULL UNIQUE, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(), hash text NOT NULL,
    UNIQUE (stream_id, revision))`);
  const data = JSON.stringify({
    contactId: randomUUID(),
    method: 'IN_PERSON',
    party: 'CUSTOMER',
    outcome: 'REACHED',
    occurredOn: '2025-01-01',
    progress: 'Attended job club twice and sent two applications.',
    justification: 'Needs interview coaching before the fair.',
  });
  const metadata = JSON.stringify({
    commandId: randomUUID(),
    correlationId: randomUUID(),
    actor: 'staff-1',
  });
  let count = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let revision = 0; Date.now() < until; revision++) {
        await pool.query(
          `INSERT INTO raw_events (stream_id, revision, event_id, type, data, metadata, hash)
           VALUES ($1, $2, $3, 'ContactRecorded', $4, $5, $6)`,
          [`raw-${writer}`, revision, randomUUID(), data, metadata, 'f'.repeat(64)],
        );
        count++;
      }
    }),
  );
  await pool.end();
  return count / seconds;
}

/**
 * CPU seconds of the PostgreSQL server processes serving `database` (backends
 * name their database in their title) plus the server's background processes
 * (WAL writer, checkpointer …); other helpers' databases on the same server
 * are left out.
 */
function postgresCpuSeconds(database: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const backend = /postgres: [^:]+: \S+ (\S+) /.exec(title);
      if (!backend || backend[1] === database) total += processCpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of the whole host, all cores (everything but idle and iowait). */
function hostBusyCpuSeconds(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    return (total - cpu[3] - cpu[4]) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process and its children (a cluster primary's API processes). */
function treeCpuSeconds(pid: number): number {
  let total = processCpuSeconds(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += processCpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** The monotonic clock in µs (a CPU profile's own clock). */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

interface CpuSample {
  api: number;
  postgres: number;
  loadGenerator: number;
  host: number;
}

const cpuSample = (apiPid: number, database: string): CpuSample => ({
  api: treeCpuSeconds(apiPid),
  postgres: postgresCpuSeconds(database),
  loadGenerator: processCpuSeconds(process.pid),
  host: hostBusyCpuSeconds(),
});

interface DatabaseStats {
  transactions: number;
  rollbacks: number;
  rowsRead: number;
}

/**
 * Server-side counters of the bench database: statements run outside an explicit
 * transaction count one each, so transactions per command is the round-trip
 * shape of the command path. Backends publish their counters when idle (at
 * most once a second), hence the pause.
 */
async function databaseStats(url: string, name: string): Promise<DatabaseStats> {
  await new Promise((r) => setTimeout(r, 1500));
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ c: string; r: string; f: string }>(
      `SELECT xact_commit::text AS c, xact_rollback::text AS r, (tup_returned + tup_fetched)::text AS f
         FROM pg_stat_database WHERE datname = $1`,
      [name],
    );
    return {
      transactions: Number(rows[0].c) + Number(rows[0].r),
      rollbacks: Number(rows[0].r),
      rowsRead: Number(rows[0].f),
    };
  } finally {
    await client.end();
  }
}

const today = (): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(new Date());

async function main(): Promise<void> {
  const name = `cl_bench_api_${randomUUID().slice(0, 8)}`;
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  await admin(`CREATE DATABASE "${name}"`);
  const url = withDatabase(SERVER, name);
  let api: ApiChild | undefined;
  try {
    console.log(
      `raw baseline: one INSERT transaction per event, ${CONNECTIONS} writers, ${RAW_DURATION_S}s …`,
    );
    const rawCpuBefore = cpuSample(process.pid, name);
    const raw = await rawInsertRate(url, CONNECTIONS, RAW_DURATION_S);
    const rawCpuAfter = cpuSample(process.pid, name);
    const rawCpu = {
      postgresCores: Number(
        ((rawCpuAfter.postgres - rawCpuBefore.postgres) / RAW_DURATION_S).toFixed(2),
      ),
      driverCores: Number(((rawCpuAfter.api - rawCpuBefore.api) / RAW_DURATION_S).toFixed(2)),
      hostBusyCores: Number(((rawCpuAfter.host - rawCpuBefore.host) / RAW_DURATION_S).toFixed(2)),
    };
    console.log(
      `raw: ${raw.toFixed(0)} events/s (CPU cores busy: PostgreSQL ${rawCpu.postgresCores}, driver ${rawCpu.driverCores}, host ${rawCpu.hostBusyCores})`,
    );

    // BENCH_API_PROFILE=1 profiles the API process; BENCH_API_NODE_ARGS adds any other node flags.
    const profileDir =
      process.env.BENCH_API_PROFILE === '1' ? join(dir, `.profile-${name}`) : undefined;
    const nodeArgs = [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ];
    const apiWorkers = Number(process.env.API_WORKERS ?? 1);
    // API_WORKERS reaches the child through the environment; up to 2 minutes
    // to become healthy: N cluster processes boot at once on a loaded 2-core host.
    // The rate limiter is off in the child (bench/support/api-child.ts): measured
    // here is the command path (every answer below is checked to be 2xx / 401).
    api = await ApiChild.start(url, {
      port: PORT,
      nodeArgs,
      logLevel: process.env.LOG_LEVEL ?? 'info',
      healthAttempts: 1200,
    });

    const opened = today();
    // Seeded 16 at a time: the seeding is not measured.
    const { ids: caseIds, token } = await api.openCases(CASES, opened, 'c');
    const body = contactBody(opened);

    // The framework's floor on this host: the same route and body without a token
    // (401 problem+json after body parsing, logging and the guard; no database).
    const floorCpuBefore = treeCpuSeconds(api.pid);
    const floor = await autocannon({
      url: api.url,
      connections: CONNECTIONS,
      duration: FLOOR_DURATION_S,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          path: `/api/v1/cases/${caseIds[0]}/contacts`,
          body,
        },
      ],
    });
    requireOnly(floor, '401', 'the 401 floor');
    const floorFigures = {
      requestsPerSecond: Math.round(floor['4xx'] / floor.duration),
      apiCpuMsPerRequest: Number(
        (((treeCpuSeconds(api.pid) - floorCpuBefore) * 1000) / Math.max(1, floor['4xx'])).toFixed(
          2,
        ),
      ),
      p99Ms: floor.latency.p99,
    };
    console.log(
      `floor (401 before any command work): ${floorFigures.requestsPerSecond} requests/s, ${floorFigures.apiCpuMsPerRequest} ms API CPU per request, p99 ${floorFigures.p99Ms} ms`,
    );

    const statsBefore = await databaseStats(url, name);
    const cpuBefore = cpuSample(api.pid, name);
    const runFromUs = monotonicUs();
    console.log(
      `RecordContact over HTTP: ${CONNECTIONS} connections, ${DURATION_S}s on ${CASES} cases …`,
    );
    const result = await api.contactLoad(caseIds, token, opened, CONNECTIONS, DURATION_S);
    const runToUs = monotonicUs();
    requireOnly(result, '201', 'RecordContact');
    const cpuAfter = cpuSample(api.pid, name);
    const commands = result['2xx'] / result.duration;
    const cpuCores = (key: keyof CpuSample): number =>
      Number(((cpuAfter[key] - cpuBefore[key]) / result.duration).toFixed(2));
    const cpu = {
      apiCores: cpuCores('api'),
      postgresCores: cpuCores('postgres'),
      loadGeneratorCores: cpuCores('loadGenerator'),
      hostBusyCores: cpuCores('host'),
      apiCpuMsPerCommand: Number(
        (((cpuAfter.api - cpuBefore.api) * 1000) / Math.max(1, result['2xx'])).toFixed(2),
      ),
    };
    const others = Number(
      (cpu.hostBusyCores - cpu.apiCores - cpu.postgresCores - cpu.loadGeneratorCores).toFixed(2),
    );
    console.log(
      `CPU (cores busy, of 2): API ${cpu.apiCores} (${cpu.apiCpuMsPerCommand} ms per command), PostgreSQL ${cpu.postgresCores}, load generator ${cpu.loadGeneratorCores}, other processes (other helpers, other databases) ${others}, host ${cpu.hostBusyCores}`,
    );
    const statsAfter = await databaseStats(url, name);
    const perCommand = (key: keyof DatabaseStats): number =>
      Number(((statsAfter[key] - statsBefore[key]) / Math.max(1, result['2xx'])).toFixed(2));
    const metricsText = await (await fetch(`${api.url}/metrics`)).text();
    const counter = (pattern: RegExp): number =>
      metricsText
        .split('\n')
        .filter((line) => pattern.test(line))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const conflicts = {
      retries: counter(/^caseledger_command_retries_total\{[^}]*type="RecordContact"/),
      givenUp: counter(
        /^caseledger_commands_total\{[^}]*type="RecordContact"[^}]*outcome="conflict"/,
      ),
    };
    console.log(
      `conflict retries: ${conflicts.retries} re-reads in ${result['2xx']} commands, ${conflicts.givenUp} given up (409)`,
    );
    const database = {
      transactionsPerCommand: perCommand('transactions'),
      rowsReadPerCommand: perCommand('rowsRead'),
      rollbacksPerCommand: perCommand('rollbacks'),
    };
    console.log(
      `database per acknowledged command: ${database.transactionsPerCommand} transactions (each statement outside BEGIN counts as one), ${database.rowsReadPerCommand} rows read, ${database.rollbacksPerCommand} rollbacks`,
    );
    // The API stops first: its CPU profile (if any) is written as it exits.
    await api.stop();
    let profile: { busyMs: number; shares: ProfileShare[]; file: string } | undefined;
    if (profileDir) {
      const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      // With a cluster the busiest file is an API process (the primary only hands out connections).
      const summaries = files.map((f) => ({
        file: f,
        ...profileByPackage(join(profileDir, f), { fromUs: runFromUs, toUs: runToUs }),
      }));
      profile = summaries.sort((x, y) => y.busyMs - x.busyMs)[0];
      rmSync(profileDir, { recursive: true, force: true });
    }
    const ratio = Number((commands / raw).toFixed(2));
    const floorRatio = Number((floorFigures.requestsPerSecond / raw).toFixed(2));
    const single = { ratio: 0.3, p99Ms: 25, apiCpuMsPerCommand: 0.25, floorCpuMs: 0.12 };
    const targets = apiWorkers > 1 ? { ratio: 0.45 } : single;
    const checks = [
      `ratio ${ratio}× ${ratio >= targets.ratio ? 'meets' : 'misses'} ≥ ${targets.ratio}× raw`,
      ...(apiWorkers > 1
        ? []
        : [
            `p99 ${result.latency.p99} ms ${result.latency.p99 <= single.p99Ms ? 'meets' : 'misses'} ≤ ${single.p99Ms} ms`,
            `API CPU ${cpu.apiCpuMsPerCommand} ms/command ${cpu.apiCpuMsPerCommand <= single.apiCpuMsPerCommand ? 'meets' : 'misses'} ≤ ${single.apiCpuMsPerCommand} ms`,
            `401 floor ${floorFigures.apiCpuMsPerRequest} ms ${floorFigures.apiCpuMsPerRequest <= single.floorCpuMs ? 'meets' : 'misses'} ≤ ${single.floorCpuMs} ms`,
          ]),
    ];
    const verdict = checks.join('; ');
    const figures = {
      date: new Date().toISOString(),
      backend: 'postgres',
      apiWorkers,
      connections: CONNECTIONS,
      durationSeconds: result.duration,
      commandsPerSecond: Math.round(commands),
      acknowledged: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      rawInsertsPerSecond: Math.round(raw),
      ratio,
      rawCpu,
      cases: CASES,
      conflicts,
      floor: { ...floorFigures, ratio: floorRatio },
      database,
      cpu: { ...cpu, otherProcessesCores: others },
      targets,
      verdict,
      ...(profile
        ? { profile: { busyMs: profile.busyMs, byPackage: profile.shares.slice(0, 20) } }
        : {}),
    };
    console.log(
      `\nRecordContact ${figures.commandsPerSecond}/s (p50 ${figures.latencyMs.p50} ms, p99 ${figures.latencyMs.p99} ms, non-2xx ${figures.non2xx}, errors ${figures.errors}), API_WORKERS=${apiWorkers}` +
        `\nraw INSERT    ${figures.rawInsertsPerSecond}/s (${CONNECTIONS} writers, one transaction per event)` +
        `\nratio         ${figures.ratio}× (401 floor ${floorRatio}× raw, ${floorFigures.apiCpuMsPerRequest} ms API CPU each)` +
        `\nAPI CPU       ${cpu.apiCpuMsPerCommand} ms per command` +
        `\n${verdict}`,
    );
    if (profile) {
      console.log(`CPU profile of the measured run (${profile.busyMs} ms busy), by package:`);
      for (const share of profile.shares.slice(0, 15))
        console.log(`  ${share.percent.toFixed(1).padStart(5)} %  ${share.owner}`);
    }

    const stamp = figures.date.slice(0, 10);
    const suffix = apiWorkers > 1 ? `-workers${apiWorkers}` : '';
    writeFileSync(join(dir, `api${suffix}-${stamp}.json`), `${JSON.stringify(figures, null, 2)}\n`);
    writeFileSync(
      join(dir, `api${suffix}-${stamp}.md`),
      [
        `# API benchmark ${stamp}${apiWorkers > 1 ? ` (API_WORKERS=${apiWorkers})` : ''}`,
        '',
        `RecordContact over HTTP (autocannon, ${CONNECTIONS} connections, ${figures.durationSeconds} s, ${CASES} cases), API side only, ${apiWorkers} API process${apiWorkers > 1 ? 'es (node:cluster)' : ''}, PostgreSQL on 127.0.0.1.`,
        '',
        '| measure | value |',
        '|---|---|',
        `| commands/s (2xx) | ${figures.commandsPerSecond} |`,
        `| latency p50 / p90 / p99 / max (ms) | ${figures.latencyMs.p50} / ${figures.latencyMs.p90} / ${figures.latencyMs.p99} / ${figures.latencyMs.max} |`,
        `| non-2xx / errors | ${figures.non2xx} / ${figures.errors} |`,
        `| raw INSERT, one transaction per event, ${CONNECTIONS} writers (/s) | ${figures.rawInsertsPerSecond} |`,
        `| ratio | ${figures.ratio}× |`,
        `| conflict re-reads / given up (409) | ${conflicts.retries} / ${conflicts.givenUp} |`,
        `| database per command: transactions / rows read | ${database.transactionsPerCommand} / ${database.rowsReadPerCommand} |`,
        `| API CPU per command (ms) | ${cpu.apiCpuMsPerCommand} |`,
        `| cores busy during the run (of 2): API / PostgreSQL (this database) / load generator / other processes | ${cpu.apiCores} / ${cpu.postgresCores} / ${cpu.loadGeneratorCores} / ${others} |`,
        `| floor: the same route without a token (401, no command work): requests/s, ratio to raw, API CPU ms each | ${floorFigures.requestsPerSecond} / ${floorRatio}× / ${floorFigures.apiCpuMsPerRequest} |`,
        `| raw baseline cores busy: PostgreSQL / driver / host | ${rawCpu.postgresCores} / ${rawCpu.driverCores} / ${rawCpu.hostBusyCores} |`,
        '',
        `Targets: ${verdict}.`,
        '',
        ...(profile
          ? [
              `## CPU profile of the measured run (node --cpu-prof, ${profile.busyMs} ms busy; self time, builtins counted for their caller)`,
              '',
              '| owner | share |',
              '|---|---|',
              ...profile.shares.slice(0, 20).map((x) => `| ${x.owner} | ${x.percent} % |`),
              '',
            ]
          : []),
      ].join('\n'),
    );
    console.log(`wrote bench/results/api${suffix}-${stamp}.{json,md}`);
  } finally {
    await api?.stop();
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
