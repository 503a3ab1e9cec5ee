/**
 * bench:privacy — the cost of per-customer encryption on the command path
 * (README "Personal data"). Two executors on one PGlite database run the same
 * commands side by side, interleaved round by round: one on the plain adapter
 * (the raw baseline), one on the PersonalDataEventStore decorator around the
 * same adapter. Reported: this process's CPU time (user + system) and wall
 * time per command, and their ratio encrypted / raw. PGlite runs in process,
 * so the CPU figure includes the database's work for both sides alike.
 * Writes bench/results/privacy-<date>.{json,md} (`npm run bench:privacy`, through tsx).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICIES, businessDateAt, type Actor, type CaseCommand } from '@caseledger/domain';
import { PostgresEventStore, openPgliteSqlClient, type EventStore } from '@caseledger/event-store';
import {
  CaseCommandExecutor,
  PersonalDataEventStore,
  PersonalDataKeys,
  createPolicyLookup,
  masterKeyRing,
  systemClock,
} from '@caseledger/platform';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const CASES_PER_ROUND = Number(process.env.BENCH_CASES ?? 100);
const CONTACTS_PER_CASE = 4;
const actor: Actor = { staffId: 'staff-cm-1', role: 'case_manager', careerCenterId: 'cc-1' };
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const today = businessDateAt(new Date(), 'America/Chicago');
const commandsOf = (caseId: string, n: number): CaseCommand[] => [
  {
    type: 'OpenCase',
    data: {
      caseId,
      customer: { id: `cust-${n}`, firstName: `First${n}`, lastName: `Last${n}` },
      program: 'WIOA_ADULT',
      careerCenterId: 'cc-1',
      localAreaId: 'MO-DEFAULT',
      caseManagerId: 'staff-cm-1',
      openedOn: today,
    },
  },
  {
    type: 'EnrollInActivity',
    data: {
      enrollmentId: 'enr-1',
      activityType: 'JOB_SEARCH',
      activityName: 'Job club',
      startDate: today,
    },
  },
  ...Array.from({ length: CONTACTS_PER_CASE }, (_, i): CaseCommand => ({
    type: 'RecordContact',
    data: {
      contactId: `c-${i}`,
      method: 'IN_PERSON',
      party: 'CUSTOMER',
      outcome: 'REACHED',
      occurredOn: today,
      progress: `Attended job club session ${i}; applied to two employers this week.`,
      justification: 'Needs continued coaching on interviews before the job fair.',
    },
  })),
];

interface Side {
  name: 'raw' | 'encrypted';
  executor: CaseCommandExecutor;
  cpuMicros: number;
  wallMs: number;
  commands: number;
}

async function runRound(side: Side, round: number): Promise<void> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let c = 0; c < CASES_PER_ROUND; c += 1) {
    const caseId = randomUUID();
    for (const command of commandsOf(caseId, round * CASES_PER_ROUND + c)) {
      const commandId = randomUUID();
      await side.executor.execute({ caseId, command, actor, commandId, correlationId: commandId });
      side.commands += 1;
    }
  }
  const used = process.cpuUsage(cpu);
  side.cpuMicros += used.user + used.system;
  side.wallMs += Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'caseledger-bench-privacy-'));
  const sql = await openPgliteSqlClient(dir);
  const raw = await PostgresEventStore.create(sql);
  const keys = new PersonalDataKeys(sql, masterKeyRing(randomBytes(32).toString('base64')));
  await keys.migrate();
  const encrypted: EventStore = new PersonalDataEventStore(raw, keys);
  const policyOf = createPolicyLookup(DEFAULT_POLICIES);
  const sides: Side[] = [
    {
      name: 'raw',
      executor: new CaseCommandExecutor(raw, policyOf, systemClock),
      cpuMicros: 0,
      wallMs: 0,
      commands: 0,
    },
    {
      name: 'encrypted',
      executor: new CaseCommandExecutor(encrypted, policyOf, systemClock),
      cpuMicros: 0,
      wallMs: 0,
      commands: 0,
    },
  ];
  try {
    // Warm-up (JIT, PGlite caches), not counted.
    for (const side of sides)
      await runRound({ ...side, cpuMicros: 0, wallMs: 0, commands: 0 }, 1000);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which side goes first so that drift in load hits both.
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await runRound(side, round * 2 + (side.name === 'raw' ? 0 : 1));
      log(`round ${round + 1}/${ROUNDS} done`);
    }
  } finally {
    await raw.close();
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const per = (side: Side) => ({
    commands: side.commands,
    cpuMicrosPerCommand: Math.round((side.cpuMicros / side.commands) * 10) / 10,
    wallMicrosPerCommand: Math.round(((side.wallMs * 1000) / side.commands) * 10) / 10,
  });
  const [rawSide, encSide] = sides.map(per);
  const results = {
    bench: 'privacy',
    date: new Date().toISOString(),
    host: { cpus: cpus().length, loadavg: loadavg(), node: process.version },
    workload: {
      store: 'PGlite (in process)',
      rounds: ROUNDS,
      casesPerRound: CASES_PER_ROUND,
      commandsPerCase: 2 + CONTACTS_PER_CASE,
      encryptedFieldsPerCommand:
        'OpenCase: 3 (customer id, names); RecordContact: 2 (progress, justification)',
    },
    raw: rawSide,
    encrypted: encSide,
    ratio: {
      cpuPerCommand:
        Math.round((encSide.cpuMicrosPerCommand / rawSide.cpuMicrosPerCommand) * 1000) / 1000,
      wallPerCommand:
        Math.round((encSide.wallMicrosPerCommand / rawSide.wallMicrosPerCommand) * 1000) / 1000,
    },
  };
  log(JSON.stringify(results, null, 2));
  const day = results.date.slice(0, 10);
  const out = join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `privacy-${day}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join(out, `privacy-${day}.md`),
    [
      `# bench:privacy (${results.date})`,
      '',
      `Per-customer encryption on the command path: the same commands through the executor on the plain PGlite adapter (raw baseline) and on the PersonalDataEventStore decorator around it, interleaved in ${ROUNDS} rounds of ${CASES_PER_ROUND} cases × ${2 + CONTACTS_PER_CASE} commands (OpenCase, EnrollInActivity (nothing personal), ${CONTACTS_PER_CASE} RecordContact). CPU is this process's user + system time (PGlite runs in process, so it includes the database's work on both sides). Host: ${results.host.cpus} CPUs, load ${results.host.loadavg.map((l) => l.toFixed(2)).join(' ')}.`,
      '',
      '| side | commands | CPU µs / command | wall µs / command |',
      '| --- | --- | --- | --- |',
      `| raw (baseline) | ${rawSide.commands} | ${rawSide.cpuMicrosPerCommand} | ${rawSide.wallMicrosPerCommand} |`,
      `| encrypted | ${encSide.commands} | ${encSide.cpuMicrosPerCommand} | ${encSide.wallMicrosPerCommand} |`,
      `| ratio encrypted / raw | | ${results.ratio.cpuPerCommand}× | ${results.ratio.wallPerCommand}× |`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(
      `bench:privacy failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  },
);
