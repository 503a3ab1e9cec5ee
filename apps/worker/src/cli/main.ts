import { parkedCommand, PARKED_USAGE } from './parked.command';
import { once } from 'node:events';
import { AUDIT_USAGE, auditCommand } from './audit.command';
import { CUSTOMERS_USAGE, customersCommand } from './customers.command';
import { KEYS_USAGE, keysCommand } from './keys.command';
import { CliError, projectionsCommand, PROJECTIONS_USAGE, type CliIo } from './projections.command';
import { reportsCommand, REPORTS_USAGE } from './reports.command';

/**
 * The operators' and auditors' command-line tool ("the start of the
 * operators' and auditors' command-line tool"). `npm run cli -- <group> …`.
 */
const USAGE = `Caseledger command-line tool\n${PROJECTIONS_USAGE}\n${PARKED_USAGE}\n${AUDIT_USAGE}\n${REPORTS_USAGE}\n${CUSTOMERS_USAGE}\n${KEYS_USAGE}`;

export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  const [group, ...rest] = argv;
  if (group === 'projections') return projectionsCommand(rest, io, env);
  if (group === 'parked') return parkedCommand(rest, io, env);
  if (group === 'audit') return auditCommand(rest, io, env);
  if (group === 'reports') return reportsCommand(rest, io, env);
  if (group === 'customers') return customersCommand(rest, io, env);
  if (group === 'keys') return keysCommand(rest, io, env);
  if (group === undefined || group === 'help' || group === '--help') {
    io.out(USAGE);
    return group === undefined ? 2 : 0;
  }
  throw new CliError(`unknown command "${group}"\n${USAGE}`);
}

if (require.main === module) {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stream: process.stderr,
    write: async (chunk) => {
      // stdout may be a pipe or a file: wait for 'drain' so memory stays flat.
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    },
  };
  runCli(process.argv.slice(2), io, process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof CliError) {
        io.err(error.message);
        process.exit(error.exitCode);
      }
      io.err(
        `caseledger cli failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exit(1);
    },
  );
}
