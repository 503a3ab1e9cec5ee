import { DomainError, type Actor } from '@caseledger/domain';
import {
  CaseCommandExecutor,
  CustomerDisposal,
  createPolicyLookup,
  loadPolicies,
  systemClock,
} from '@caseledger/platform';
import { randomUUID } from 'node:crypto';
import { CliError, configOf, openStorage, type CliIo } from './projections.command';

export const CUSTOMERS_USAGE = `usage:
  npm run cli -- customers dispose <customerId> --reason <text> --retention-rule <ref> --staff <staffId> [--json]
      dispose of a customer's personal data (README "Records retention": every case CLOSED and
      older than PERSONAL_DATA_RETENTION_DAYS); runs as an admin named by --staff`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new CliError(`${name} needs a value`);
  return value;
}

/** The CLI twin of POST /api/v1/customers/{customerId}/dispose. */
export async function customersCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, customerId, ...rest] = args;
  if (action !== 'dispose' || !customerId || customerId.startsWith('--'))
    throw new CliError(CUSTOMERS_USAGE);
  const reason = option(rest, '--reason');
  const retentionRule = option(rest, '--retention-rule');
  const staffId = option(rest, '--staff');
  if (!reason || !retentionRule || !staffId) throw new CliError(CUSTOMERS_USAGE);
  const config = configOf(env);
  const { sql, store } = await openStorage(env);
  try {
    const policyOf = createPolicyLookup(loadPolicies(config.policiesFile));
    const executor = new CaseCommandExecutor(store, policyOf, systemClock);
    const disposal = new CustomerDisposal(
      store,
      executor,
      policyOf,
      systemClock,
      config.personalData.retentionDays,
    );
    const actor: Actor = { staffId, role: 'admin', careerCenterId: 'cli' };
    let result;
    try {
      result = await disposal.dispose({
        customerId,
        reason,
        retentionRule,
        actor,
        correlationId: randomUUID(),
      });
    } catch (error) {
      // A refusal is the operator's answer, not a crash: exit 1 with the rule.
      if (error instanceof DomainError)
        throw new CliError(`refused (${error.ruleId}): ${error.message}`, 1);
      throw error;
    }
    if (rest.includes('--json')) io.out(JSON.stringify(result));
    else {
      io.out(`${result.outcome} on ${result.disposedOn}: ${result.cases.length} case(s)`);
      for (const c of result.cases)
        io.out(
          `  ${c.caseId} revision ${c.revision}${c.appended ? ' (PersonalDataDisposed appended)' : ''}`,
        );
    }
    return 0;
  } finally {
    await store.close();
    await sql.close();
  }
}
