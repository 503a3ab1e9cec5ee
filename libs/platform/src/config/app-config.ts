/**
 * Typed configuration, read once from the environment and validated at start
 * (issue 4: "Configuration is validated at start with clear messages"). One
 * schema: every variable, its default and its check live in `SCHEMA`.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];

export interface AppConfig {
  port: number;
  /** Where PGlite keeps its files (embedded default) and the dev JWT secret lives. */
  dataDir: string;
  /** PostgreSQL instead of PGlite when set. */
  databaseUrl?: string;
  /** EventStoreDB for the event log when set (read models stay in SQL). */
  eventStoreConnectionString?: string;
  redisUrl: string;
  auth: {
    /** HS256 secret (local and dev); ignored when `jwksUrl` is set. */
    jwtSecret?: string;
    /** An OIDC issuer's JWKS (production). */
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
  };
  logLevel: LogLevel;
  /** A JSON file with local-area contact policies (an array of ContactPolicy). */
  policiesFile?: string;
  /** COMMAND_STATE_CACHE_SIZE: cases whose folded state the command executor keeps (0: off; unset: its default). */
  commandStateCacheSize?: number;
  /** DATABASE_POOL_SIZE: PostgreSQL connections per process (unset: the pool's default, 10). */
  databasePoolSize?: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const present = (value: string | undefined): value is string =>
  value !== undefined && value.trim() !== '';

function url(name: string, value: string, protocols: string[], problems: string[]): string {
  try {
    const parsed = new URL(value);
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${name} must use ${protocols.join(' or ')} (got ${parsed.protocol})`);
    }
  } catch {
    problems.push(`${name} is not a URL: ${value}`);
  }
  return value;
}

/** Reads and validates the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];

  const portText = present(env.PORT) ? env.PORT.trim() : '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be an integer between 0 and 65535 (got "${portText}")`);
  }

  const databaseUrl = present(env.DATABASE_URL)
    ? url('DATABASE_URL', env.DATABASE_URL.trim(), ['postgres:', 'postgresql:'], problems)
    : undefined;
  const eventStoreConnectionString = present(env.EVENTSTORE_CONNECTION_STRING)
    ? url(
        'EVENTSTORE_CONNECTION_STRING',
        env.EVENTSTORE_CONNECTION_STRING.trim(),
        ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:', 'kdb:', 'kdb+discover:'],
        problems,
      )
    : undefined;
  const redisUrl = url(
    'REDIS_URL',
    present(env.REDIS_URL) ? env.REDIS_URL.trim() : 'redis://127.0.0.1:6379',
    ['redis:', 'rediss:'],
    problems,
  );

  const jwksUrl = present(env.AUTH_JWKS_URL)
    ? url('AUTH_JWKS_URL', env.AUTH_JWKS_URL.trim(), ['https:', 'http:'], problems)
    : undefined;
  const jwtSecret = present(env.AUTH_JWT_SECRET) ? env.AUTH_JWT_SECRET : undefined;
  if (!jwksUrl && !jwtSecret) {
    problems.push(
      'AUTH_JWT_SECRET is required (HS256 tokens) unless AUTH_JWKS_URL names an OIDC issuer key set; `npm start` generates a development secret in DATA_DIR',
    );
  } else if (!jwksUrl && jwtSecret && Buffer.byteLength(jwtSecret) < 32) {
    problems.push('AUTH_JWT_SECRET must be at least 32 bytes (HS256 key strength)');
  }

  const logLevelText = present(env.LOG_LEVEL) ? env.LOG_LEVEL.trim().toLowerCase() : 'info';
  if (!LOG_LEVELS.includes(logLevelText as LogLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelText}")`);
  }

  let commandStateCacheSize: number | undefined;
  if (present(env.COMMAND_STATE_CACHE_SIZE)) {
    const text = env.COMMAND_STATE_CACHE_SIZE.trim();
    commandStateCacheSize = Number(text);
    if (!/^\d+$/.test(text)) {
      problems.push(`COMMAND_STATE_CACHE_SIZE must be a whole number (got "${text}")`);
    }
  }

  let databasePoolSize: number | undefined;
  if (present(env.DATABASE_POOL_SIZE)) {
    const text = env.DATABASE_POOL_SIZE.trim();
    databasePoolSize = Number(text);
    if (!/^\d+$/.test(text) || databasePoolSize < 1) {
      problems.push(`DATABASE_POOL_SIZE must be a whole number of at least 1 (got "${text}")`);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port,
    dataDir: present(env.DATA_DIR) ? env.DATA_DIR.trim() : './.data',
    databaseUrl,
    eventStoreConnectionString,
    redisUrl,
    auth: {
      jwtSecret,
      jwksUrl,
      issuer: present(env.AUTH_ISSUER) ? env.AUTH_ISSUER.trim() : undefined,
      audience: present(env.AUTH_AUDIENCE) ? env.AUTH_AUDIENCE.trim() : undefined,
    },
    logLevel: logLevelText as LogLevel,
    policiesFile: present(env.POLICIES_FILE) ? env.POLICIES_FILE.trim() : undefined,
    ...(commandStateCacheSize !== undefined ? { commandStateCacheSize } : {}),
    ...(databasePoolSize !== undefined ? { databasePoolSize } : {}),
  };
}
