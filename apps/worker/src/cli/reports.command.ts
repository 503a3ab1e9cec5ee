import { Presets, SingleBar } from 'cli-progress';
import { userInfo } from 'node:os';
import {
  ReportRequestError,
  buildExitReport,
  exitReportCsv,
  exitReportJson,
  listCohorts,
  parseCohortRequest,
  parseExitRequest,
  parseWhatIfRequest,
  pinPosition,
  reproduceCohort,
  runWhatIf,
  saveCohort,
  whatIfJsonChunks,
  type ScanProgress,
} from '@caseledger/reports';
import { createPolicyLookup, loadPolicies } from '@caseledger/platform';
import { CliError, configOf, openStorage, type CliIo } from './projections.command';

export const REPORTS_USAGE = `usage:
  npm run -s cli -- reports exits --from <date> --to <date> [--career-center-id <id>] [--program <R1 group>]
                     [--at-position <commit/prepare>] [--format json|csv] > exits.json
                                                          program exits (PIRL 901 exit date…), pinned to a position and a digest
  npm run -s cli -- reports what-if --from <date> --to <date> [--career-center-id <id>] [--at-position <p>]
                     [--contact-interval-days N] [--soft-exit-after-days N]
                     [--late-entry-after-soft-exit REFUSE|REVERSE_WITH_APPROVAL] [--policy-id <id>] > what-if.ndjson
                                                          replays the log under other policy terms; one line per differing case
  npm run cli -- reports cohorts save (--quarter 2026-Q3 | --from <date> --to <date>) [--career-center-id <id>] [--program <g>]
  npm run cli -- reports cohorts list
  npm run cli -- reports cohorts show <cohortId>            re-run at the saved position (same digest) and now: what changed
exit codes: 0 done, 1 cohort not found or not reproduced, 2 usage or invalid request, 78 bad configuration`;

const OPTION_NAMES: Record<string, string> = {
  from: 'from',
  to: 'to',
  'career-center-id': 'careerCenterId',
  program: 'program',
  'at-position': 'atPosition',
  format: 'format',
  quarter: 'quarter',
  'contact-interval-days': 'contactIntervalDays',
  'soft-exit-after-days': 'softExitAfterDays',
  'late-entry-after-soft-exit': 'lateEntryAfterSoftExit',
  'policy-id': 'policyId',
};

function options(
  args: string[],
  known: string[],
): { values: Record<string, string>; rest: string[] } {
  const values: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (!known.includes(name)) throw new CliError(`unknown option ${arg}\n${REPORTS_USAGE}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliError(`${arg} needs a value`);
    values[OPTION_NAMES[name]] = value;
    i += 1;
  }
  return { values, rest };
}

const refusal = (error: ReportRequestError): CliError =>
  new CliError(
    `${error.message}:\n${error.errors.map((e) => `  ${e.field}: ${e.message}`).join('\n')}`,
  );

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReportRequestError) throw refusal(error);
    throw error;
  }
}

/** A counter of events read (the store's size is not known up front). */
function scanBar(
  io: CliIo,
  label: string,
): { bar: SingleBar; onProgress: (p: ScanProgress) => void } {
  const bar = new SingleBar(
    {
      format: `${label} |{bar}| {value} events read`,
      stream: io.stream,
      hideCursor: true,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    bar,
    onProgress: (p) => {
      if (!started) {
        bar.start(Math.max(p.events * 2, 1), p.events);
        started = true;
      }
      if (p.events > bar.getTotal()) bar.setTotal(p.events * 2);
      bar.update(p.events);
    },
  };
}

export async function reportsCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === 'help' || action === '--help') {
    io.out(REPORTS_USAGE);
    return action === undefined ? 2 : 0;
  }
  if (action === 'exits') return exits(rest, io, env);
  if (action === 'what-if') return whatIf(rest, io, env);
  if (action === 'cohorts') return cohorts(rest, io, env);
  throw new CliError(`unknown reports command "${action}"\n${REPORTS_USAGE}`);
}

async function exits(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = options(args, [
    'from',
    'to',
    'career-center-id',
    'program',
    'at-position',
    'format',
  ]);
  const request = await guarded(() => Promise.resolve(parseExitRequest(values)));
  const { sql, store } = await openStorage(env);
  try {
    const position = await guarded(() => pinPosition(store, request.atPosition));
    const { bar, onProgress } = scanBar(io, 'exits');
    // The CLI runs with the database's own access: every center (an auditor's view).
    const report = await buildExitReport(store, request.params, {}, position, { onProgress });
    bar.stop();
    await io.write(request.format === 'csv' ? exitReportCsv(report) : exitReportJson(report));
    io.err(`position ${report.position}  digest ${report.digest}  exits ${report.totals.exits}`);
    return 0;
  } finally {
    await store.close();
    await sql.close();
  }
}

async function whatIf(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = options(args, [
    'from',
    'to',
    'career-center-id',
    'at-position',
    'contact-interval-days',
    'soft-exit-after-days',
    'late-entry-after-soft-exit',
    'policy-id',
  ]);
  const config = configOf(env);
  const policies = loadPolicies(config.policiesFile);
  const overrides: Record<string, unknown> = {};
  for (const key of ['contactIntervalDays', 'softExitAfterDays'] as const)
    if (values[key] !== undefined)
      overrides[key] = /^\d+$/.test(values[key]) ? Number(values[key]) : values[key];
  for (const key of ['lateEntryAfterSoftExit', 'policyId'] as const)
    if (values[key] !== undefined) overrides[key] = values[key];
  const input: Record<string, unknown> = {
    from: values.from,
    to: values.to,
    policyOverrides: overrides,
  };
  if (values.careerCenterId !== undefined) input.careerCenterId = values.careerCenterId;
  if (values.atPosition !== undefined) input.atPosition = values.atPosition;
  const request = await guarded(() => Promise.resolve(parseWhatIfRequest(input, policies)));
  const { sql, store } = await openStorage(env);
  try {
    const position = await guarded(() => pinPosition(store, request.atPosition));
    const { bar, onProgress } = scanBar(io, 'what-if');
    const result = await runWhatIf(
      store,
      request.params,
      {},
      position,
      createPolicyLookup(policies),
      { onProgress, onScanned: () => bar.stop() },
    );
    bar.stop();
    for (const chunk of whatIfJsonChunks(result)) await io.write(chunk);
    const t = result.totals;
    io.err(
      `position ${result.position}  cases ${t.cases}  differing ${t.casesWithDifferences}  exits ${t.exits.asRecorded} → ${t.exits.whatIf} (+${t.exitsAdded} −${t.exitsRemoved}, ${t.exitDatesMoved} moved)`,
    );
    return 0;
  } finally {
    await store.close();
    await sql.close();
  }
}

async function cohorts(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const [sub, ...rest] = args;
  const { sql, store } = await openStorage(env);
  try {
    if (sub === 'save') {
      const { values } = options(rest, [
        'quarter',
        'from',
        'to',
        'career-center-id',
        'program',
        'at-position',
      ]);
      const request = await guarded(() => Promise.resolve(parseCohortRequest(values)));
      const { bar, onProgress } = scanBar(io, 'cohort');
      const { cohort } = await guarded(() =>
        saveCohort(
          store,
          request,
          {},
          { staffId: `cli:${userInfo().username}`, role: 'admin', careerCenterId: 'cli' },
          { onProgress },
        ),
      );
      bar.stop();
      io.out(JSON.stringify(cohort));
      return 0;
    }
    if (sub === 'list') {
      for (const c of await listCohorts(store, {})) io.out(JSON.stringify(c));
      return 0;
    }
    if (sub === 'show') {
      const [cohortId] = rest;
      if (!cohortId) throw new CliError(`usage: npm run cli -- reports cohorts show <cohortId>`);
      const cohort = (await listCohorts(store, {})).find((c) => c.cohortId === cohortId);
      if (!cohort) {
        io.err(`cohort ${cohortId} does not exist`);
        return 1;
      }
      const result = await reproduceCohort(store, cohort);
      io.out(JSON.stringify(result, null, 2));
      return result.reproduced.matches ? 0 : 1;
    }
    throw new CliError(`unknown reports cohorts command "${String(sub)}"\n${REPORTS_USAGE}`);
  } finally {
    await store.close();
    await sql.close();
  }
}
