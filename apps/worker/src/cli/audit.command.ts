import { Presets, SingleBar } from 'cli-progress';
import { caseStreamId, isBusinessDate } from '@caseledger/domain';
import {
  openCheckpointStore,
  parsePosition,
  verifyChain,
  verifyStore,
  type ExportFilters,
} from '@caseledger/event-store';
import { auditExport, loadCheckpointKeys, storedForm } from '@caseledger/platform';
import { CliError, configOf, openStorage, type CliIo } from './projections.command';

export const AUDIT_USAGE = `usage:
  npm run cli -- audit history <caseId> [--json]          a case's events as stored, with actors and hashes
  npm run cli -- audit verify [--case <caseId>] [--expect <sequence>:<hash>]
                                                          every stream chain and every signed checkpoint (or one case)
  npm run -s cli -- audit export [--case-id <id>] [--career-center-id <id>] [--from-position <p>]
                     [--recorded-from <date|timestamp>] [--recorded-to <date|timestamp>] > export.ndjson
                                                          NDJSON export; check it with node tools/verify-export.mjs
  npm run -s cli -- audit public-key > caseledger-checkpoints.pem
                                                          the public key that verifies the checkpoints
  npm run cli -- audit explain <caseId> [--as-of <date|timestamp>] [--json]
                                                          why the case stands where it does (deadlines, exit, closure)
exit codes: 0 done / verified, 1 verification failed or case not found, 2 usage,
            75 the embedded data dir is held by a running Caseledger, 78 bad configuration`;

const HELP: Record<string, string> = {
  history: AUDIT_USAGE.split('\n')[1],
  verify: AUDIT_USAGE.split('\n').slice(2, 4).join('\n'),
  export: AUDIT_USAGE.split('\n').slice(4, 7).join('\n'),
  'public-key': AUDIT_USAGE.split('\n').slice(7, 9).join('\n'),
  explain: AUDIT_USAGE.split('\n').slice(9, 11).join('\n'),
};

/** `--name value` options; a flag without value is refused. */
function options(
  args: string[],
  known: string[],
  flags: string[] = [],
): {
  positional: string[];
  values: Map<string, string>;
} {
  const positional: string[] = [];
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    if (flags.includes(name)) {
      values.set(name, 'true');
      continue;
    }
    if (!known.includes(name)) throw new CliError(`unknown option ${arg}`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) throw new CliError(`${arg} needs a value`);
    values.set(name, value);
    i += 1;
  }
  return { positional, values };
}

function instant(name: string, value: string | undefined, edge: 'start' | 'end'): Date | undefined {
  if (value === undefined) return undefined;
  if (isBusinessDate(value)) {
    return new Date(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  }
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(`--${name} must be a date (YYYY-MM-DD) or an ISO-8601 timestamp`);
  }
  return date;
}

function progressBar(io: CliIo, label: string): SingleBar {
  return new SingleBar(
    {
      format: `${label} |{bar}| {value}/{total} events {rate} ev/s`,
      stream: io.stream,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
}

export async function auditCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === 'help') {
    io.out(AUDIT_USAGE);
    return action === undefined ? 2 : 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const help = HELP[action];
    if (!help) throw new CliError(`unknown audit command "${action}"\n${AUDIT_USAGE}`);
    io.out(`usage:\n${help}\n${AUDIT_USAGE.slice(AUDIT_USAGE.indexOf('exit codes'))}`);
    return 0;
  }
  if (action === 'history') return history(rest, io, env);
  if (action === 'verify') return verify(rest, io, env);
  if (action === 'export') return exportCommand(rest, io, env);
  if (action === 'public-key') return publicKey(io, env);
  if (action === 'explain') {
    const { explainCommand } = await import('./explain.command');
    return explainCommand(rest, io, env);
  }
  throw new CliError(`unknown audit command "${action}"\n${AUDIT_USAGE}`);
}

async function history(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { positional, values } = options(args, [], ['json']);
  const [caseId] = positional;
  if (!caseId || positional.length > 1) throw new CliError(`usage:\n${HELP.history}`);
  const opened = await openStorage(env);
  // The stored (encrypted) form: what the hashes and checkpoints cover.
  const { sql } = opened;
  const store = storedForm(opened.store);
  try {
    const events = await store.readStream(caseStreamId(caseId));
    if (events.length === 0) {
      io.err(`case ${caseId} does not exist`);
      return 1;
    }
    if (values.has('json')) {
      for (const e of events) {
        io.out(
          JSON.stringify({
            revision: e.revision,
            type: e.type,
            data: e.data,
            metadata: e.metadata,
            hash: e.hash,
            previousHash: e.previousHash,
          }),
        );
      }
    } else {
      for (const e of events) {
        const actor = e.metadata.actor;
        io.out(
          `${String(e.revision).padStart(4)}  ${e.metadata.recordedAt}  ${e.type.padEnd(22)} by ${actor.staffId} (${actor.role}, ${actor.careerCenterId})  ${e.hash.slice(0, 16)}…`,
        );
      }
    }
    const chain = verifyChain(events);
    io.err(
      chain.valid
        ? `${events.length} events; hash chain intact`
        : `${events.length} events; hash chain BROKEN at revision ${chain.firstInvalidRevision}`,
    );
    return chain.valid ? 0 : 1;
  } finally {
    await store.close();
    await sql.close();
  }
}

async function verify(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { positional, values } = options(args, ['case', 'expect']);
  if (positional.length > 0) throw new CliError(`usage:\n${HELP.verify}`);
  let expect: { sequence: number; hash: string } | undefined;
  const expectText = values.get('expect');
  if (expectText !== undefined) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(expectText);
    if (!m) throw new CliError('--expect takes <sequence>:<64 hex digits> (as verify printed it)');
    expect = { sequence: Number(m[1]), hash: m[2] };
  }
  const config = configOf(env);
  const keys = loadCheckpointKeys(config);
  const opened = await openStorage(env);
  // The stored (encrypted) form: what the hashes and checkpoints cover.
  const { sql } = opened;
  const store = storedForm(opened.store);
  const bar = progressBar(io, 'verify');
  const started = Date.now();
  let barStarted = false;
  try {
    const { checkpoints, heads, tail } = await openCheckpointStore(store, sql);
    const latest = await checkpoints.latest();
    const caseId = values.get('case');
    const report = await verifyStore(store, checkpoints, {
      publicKey: keys.publicKey,
      ...(heads ? { heads } : {}),
      ...(tail ? { tail } : {}),
      intervalEvents: config.checkpoints.everyEvents,
      ...(caseId ? { streamId: caseStreamId(caseId) } : {}),
      ...(expect ? { expect } : {}),
      onProgress: (events) => {
        const total = Math.max(latest?.totalEvents ?? 0, events, 1);
        if (!barStarted) {
          bar.start(total, 0, { rate: 0 });
          barStarted = true;
        }
        bar.setTotal(total);
        bar.update(events, {
          rate: Math.round(events / Math.max(0.001, (Date.now() - started) / 1000)),
        });
      },
    });
    if (barStarted) bar.stop();
    barStarted = false;
    for (const failure of report.failures) io.out(`FAILED ${failure.message}`);
    const scope = caseId ? `case ${caseId}` : 'store';
    const summary = `${report.events} events in ${report.streams} streams, ${report.checkpoints} checkpoints, ${report.uncoveredEvents} events after the newest checkpoint`;
    const newest = report.latestCheckpoint
      ? `; newest checkpoint ${report.latestCheckpoint.sequence}:${report.latestCheckpoint.hash} (keep it: --expect checks it next time)`
      : '';
    if (!report.ok) {
      io.out(`${scope} NOT verified: ${report.failures.length} failure(s); ${summary}`);
      return 1;
    }
    io.out(`${scope} verified: ${summary}${newest}`);
    return 0;
  } finally {
    if (barStarted) bar.stop();
    await store.close();
    await sql.close();
  }
}

async function exportCommand(args: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const { positional, values } = options(args, [
    'case-id',
    'career-center-id',
    'from-position',
    'recorded-from',
    'recorded-to',
  ]);
  if (positional.length > 0) throw new CliError(`usage:\n${HELP.export}`);
  const filters: ExportFilters = {};
  const caseId = values.get('case-id');
  const center = values.get('career-center-id');
  if (caseId) filters.caseId = caseId;
  if (center) filters.careerCenterId = center;
  const from = values.get('from-position');
  if (from !== undefined) {
    try {
      filters.fromPosition = parsePosition(from);
    } catch {
      throw new CliError(
        '--from-position must be a position such as 1234/56 (the last line\'s "position")',
      );
    }
  }
  const recordedFrom = instant('recorded-from', values.get('recorded-from'), 'start');
  const recordedTo = instant('recorded-to', values.get('recorded-to'), 'end');
  if (recordedFrom) filters.recordedFrom = recordedFrom;
  if (recordedTo) filters.recordedTo = recordedTo;
  const config = configOf(env);
  const keys = loadCheckpointKeys(config);
  const opened = await openStorage(env);
  // The stored (encrypted) form: what the hashes and checkpoints cover.
  const { sql } = opened;
  const store = storedForm(opened.store);
  const bar = progressBar(io, 'export');
  const started = Date.now();
  let barStarted = false;
  try {
    const { checkpoints, tail } = await openCheckpointStore(store, sql);
    const latest = await checkpoints.latest();
    let events = 0;
    const lines = await auditExport(store, checkpoints, {
      filters,
      keys,
      config,
      ...(tail ? { tail } : {}),
      onProgress: (phase, scanned) => {
        const total = Math.max(latest?.totalEvents ?? 0, scanned, 1);
        if (!barStarted) {
          bar.start(total, 0, { rate: 0 });
          barStarted = true;
        }
        bar.setTotal(total);
        bar.update(scanned, {
          rate: Math.round(scanned / Math.max(0.001, (Date.now() - started) / 1000)),
        });
        if (phase === 'export') events = scanned;
      },
    });
    for await (const chunk of lines) await io.write(chunk);
    if (barStarted) bar.stop();
    barStarted = false;
    io.err(
      `exported (${events} events scanned); verify with: node tools/verify-export.mjs <file> --public-key <key.pem>`,
    );
    return 0;
  } finally {
    if (barStarted) bar.stop();
    await store.close();
    await sql.close();
  }
}

function publicKey(io: CliIo, env: NodeJS.ProcessEnv): number {
  const keys = loadCheckpointKeys(configOf(env));
  if (!keys.publicKeyPem) {
    io.err(
      'no checkpoint key configured: set CHECKPOINT_SIGNING_KEY or CHECKPOINT_PUBLIC_KEY, or run npm start once (it generates DATA_DIR/checkpoint-signing-key.pem)',
    );
    return 1;
  }
  io.out(keys.publicKeyPem.trimEnd());
  return 0;
}
