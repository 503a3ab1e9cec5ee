import { caseStreamId, defaultPolicy } from '@caseledger/domain';
import {
  asOfInstant,
  createPolicyLookup,
  explainCase,
  foldRecorded,
  loadPolicies,
  readAsOf,
  systemClock,
} from '@caseledger/platform';
import { CliError, configOf, openStorage, type CliIo } from './projections.command';

/** `audit explain <caseId> [--as-of <date|timestamp>] [--json]`: the explanation, as sentences or data. */
export async function explainCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const positional: string[] = [];
  let asOfText: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--as-of') {
      asOfText = args[i + 1];
      if (asOfText === undefined) throw new CliError('--as-of needs a date or a timestamp');
      i += 1;
    } else if (args[i] === '--json') json = true;
    else if (args[i].startsWith('--')) throw new CliError(`unknown option ${args[i]}`);
    else positional.push(args[i]);
  }
  const [caseId] = positional;
  if (!caseId || positional.length > 1) {
    throw new CliError(
      'usage: npm run cli -- audit explain <caseId> [--as-of <date|timestamp>] [--json]',
    );
  }
  const config = configOf(env);
  const policyOf = createPolicyLookup(loadPolicies(config.policiesFile));
  const { sql, store } = await openStorage(env);
  try {
    const all = await store.readStream(caseStreamId(caseId));
    if (all.length === 0) {
      io.err(`case ${caseId} does not exist`);
      return 1;
    }
    const area = foldRecorded(all).localAreaId;
    let asOf: Date | undefined;
    if (asOfText !== undefined) {
      // The API's reading of asOf (strict, in range), so both answer the same question.
      const parsed = readAsOf(asOfText, systemClock.now());
      if ('refused' in parsed) throw new CliError(`--as-of ${parsed.refused}`);
      asOf = asOfInstant(parsed, (policyOf(area) ?? defaultPolicy(area)).timeZone);
    }
    const events = asOf
      ? all.filter((e) => Date.parse(e.metadata.recordedAt) <= asOf.getTime())
      : all;
    if (events.length === 0) {
      io.err(`case ${caseId} did not exist at ${asOf!.toISOString()}`);
      return 1;
    }
    const explanation = explainCase(caseId, events, asOf);
    if (json) io.out(JSON.stringify(explanation, null, 2));
    else for (const sentence of explanation.sentences) io.out(sentence);
    return 0;
  } finally {
    await store.close();
    await sql.close();
  }
}
