import { Presets, SingleBar } from 'cli-progress';
import {
  DataDirLockedError,
  ParkedEvents,
  createEventStore,
  openSqlClient,
  positionToString,
  type EventStore,
  type SqlClient,
} from '@caseledger/event-store';
import {
  ConfigError,
  loadConfig,
  withPersonalDataEncryption,
  type AppConfig,
} from '@caseledger/platform';
import {
  PROJECTIONS,
  measureLag,
  migrateProjections,
  readCheckpoint,
  rebuildProjection,
  skippingParked,
  type RebuildProgress,
} from '@caseledger/projections';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Where the progress bar draws (a TTY shows it live). */
  stream: NodeJS.WriteStream;
  /** Raw output with back-pressure (the export): resolves once the chunk may be followed. */
  write(chunk: string): Promise<void>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const PROJECTIONS_USAGE = `usage:
  npm run cli -- projections rebuild <name> [--batch-size N]   rebuild into a shadow table, then swap (no downtime)
  npm run cli -- projections status                           checkpoint and lag of every projection
projections: ${Object.keys(PROJECTIONS).join(', ')}
storage: DATABASE_URL (PostgreSQL) or PGlite in DATA_DIR (default ./.data); EVENTSTORE_CONNECTION_STRING for EventStoreDB`;

/** The same schema as the services (a malformed variable exits 78, like them); the CLI verifies no tokens. */
export function configOf(env: NodeJS.ProcessEnv): AppConfig {
  try {
    return loadConfig(env, { requireAuth: false });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, 78);
    throw error;
  }
}

export async function openStorage(
  env: NodeJS.ProcessEnv,
): Promise<{ sql: SqlClient; store: EventStore }> {
  const config = configOf(env);
  let sql: SqlClient;
  try {
    sql = await openSqlClient({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      dataDir: config.dataDir,
      max: 4,
    });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      // PGlite allows one process per data dir (DESIGN.md "Known ground").
      throw new CliError(
        `${error.message}.\nThe embedded database is held by a running Caseledger (npm start, pid ${error.holderPid}). ` +
          'Stop it and run the command again, or run Caseledger on PostgreSQL (DATABASE_URL), where a rebuild runs beside the live service.',
        75,
      );
    }
    throw error;
  }
  // Decrypting like the services (README "Personal data"); `storedForm` gives the stored form.
  const store = await withPersonalDataEncryption(
    await createEventStore({
      ...(config.eventStoreConnectionString
        ? { eventStoreConnectionString: config.eventStoreConnectionString }
        : {}),
      sql,
    }),
    config,
    sql,
  );
  await migrateProjections(sql);
  return { sql, store };
}

function parseBatchSize(args: string[]): number {
  const i = args.indexOf('--batch-size');
  if (i < 0) return 2000;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new CliError('--batch-size must be an integer from 1 to 100000');
  return n;
}

export async function projectionsCommand(
  args: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const [action, name] = args;
  if (action === 'rebuild') {
    const projection = name ? PROJECTIONS[name] : undefined;
    if (!projection) throw new CliError(`unknown projection "${name ?? ''}"\n${PROJECTIONS_USAGE}`);
    const batchSize = parseBatchSize(args);
    const { sql, store } = await openStorage(env);
    const bar = new SingleBar(
      {
        format: `rebuild ${projection.name} |{bar}| {percentage}% {value}/{total} events {phase} {rate} ev/s`,
        stream: io.stream,
        hideCursor: true,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    const started = Date.now();
    let barStarted = false;
    const rate = (events: number) =>
      Math.round(events / Math.max(0.001, (Date.now() - started) / 1000));
    const onProgress = (p: RebuildProgress) => {
      const total = Math.max(p.expectedEvents, p.events, 1);
      if (!barStarted) {
        bar.start(total, 0, { phase: p.phase, rate: 0 });
        barStarted = true;
      }
      bar.setTotal(total);
      bar.update(p.events, { phase: p.phase, rate: rate(p.events) });
    };
    try {
      // Events parked for this projection stay parked (retry them afterwards).
      const parked = new ParkedEvents(sql);
      await parked.migrate();
      const held = await parked.list({ consumer: projection.name });
      if (held.length > 0)
        io.err(
          `${held.length} event(s) parked for ${projection.name}: their streams are rebuilt up to them; then run: npm run cli -- parked retry --consumer ${projection.name}`,
        );
      const result = await rebuildProjection(sql, store, skippingParked(projection, held), {
        batchSize,
        onProgress,
      });
      if (barStarted) bar.stop();
      const seconds = (Date.now() - started) / 1000;
      io.out(
        `rebuilt ${projection.name}: ${result.events} events applied, ${result.rows} rows, ` +
          `position ${positionToString(result.position)}, ${seconds.toFixed(1)} s (${rate(result.events)} events/s); swapped into ${projection.table}`,
      );
      return 0;
    } finally {
      if (barStarted) bar.stop();
      await store.close();
      await sql.close();
    }
  }
  if (action === 'status') {
    const { sql, store } = await openStorage(env);
    try {
      for (const projection of Object.values(PROJECTIONS)) {
        const position = await readCheckpoint(sql, projection.table);
        const lag = await measureLag(store, projection.name, position, 100_000);
        io.out(
          `${projection.name}: position ${lag.position}, head ${lag.head ?? '-'}, ${lag.eventsBehind}${lag.eventsBehindAtLeast ? '+' : ''} events behind`,
        );
      }
      return 0;
    } finally {
      await store.close();
      await sql.close();
    }
  }
  throw new CliError(PROJECTIONS_USAGE);
}
