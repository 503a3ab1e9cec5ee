import { ConfigError, loadConfig } from '@caseledger/platform';
import { Logger } from '@nestjs/common';
import { createApiApp } from './bootstrap';

/**
 * The API process. `npm start` runs it as the all-in-one process; the worker
 * side joins through AppModule's `workers` option once apps/worker exists.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[caseledger] ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApiApp(config);
  await app.listen(config.port, '0.0.0.0');
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  new Logger('Caseledger').log(`API listening on ${url} (docs ${url}/docs)`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[caseledger] failed to start: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(1);
});
