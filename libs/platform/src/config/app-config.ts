/**
 * Typed configuration, read once from the environment and validated at start
 * ("Configuration validated at start: one schema, clear messages for
 * a missing or malformed variable"). Every variable the apps and libs read
 * lives in `CONFIG_SCHEMA`: its name, default, check and meaning. `loadConfig`
 * reports every problem at once, each naming its variable; the processes hand
 * the typed result (and its sections) to their modules through PlatformModule's
 * APP_CONFIG provider, so nothing else reads the environment.
 */
import { loadEnvFile } from './env-file';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

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

/** The deadline machinery's settings. */
export interface DeadlineSettings {
  /** BullMQ key prefix (tests use their own per file). */
  prefix: string;
  /** How often the sweep re-derives every open deadline (it also runs once at start). */
  sweepEveryMs: number;
  /** Bounded retries of a deadline job, with exponential backoff from `backoffMs`. */
  attempts: number;
  backoffMs: number;
  /** Deadline jobs processed in parallel per worker process. */
  concurrency: number;
  /** Most due jobs whose commands share one stream read and one group-committed append. */
  batchSize: number;
  /** How long a batch's first job waits for companions (ms; 0: the same turn of the event loop). */
  batchWaitMs: number;
  /** Events per reactor batch. */
  reactorBatchSize: number;
  /** A job whose worker died is handed to another worker after this (BullMQ stalled-job check). */
  lockDurationMs: number;
  stalledIntervalMs: number;
}

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
    /** AUTH_TOKEN_MAX_LIFETIME_SECONDS: longest accepted `exp` − `iat` (or `exp` − now without `iat`). */
    maxTokenLifetimeSeconds: number;
    /** AUTH_CLOCK_SKEW_SECONDS: tolerance for `exp`, `nbf` and an `iat` slightly in the future. */
    clockSkewSeconds: number;
  };
  http: {
    /** RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_MS and client address (0: no limit). */
    rateLimitRequests: number;
    rateLimitWindowMs: number;
    /** TRUST_PROXY: Fastify's `trustProxy` (client address and https from X-Forwarded-*). */
    trustProxy?: string;
    /** OPS_TOKEN: when set, /metrics, /docs and /openapi.json need it (Bearer, or Basic password). */
    opsToken?: string;
    /** CORS_ORIGINS: browser origins allowed to call the API (empty: no CORS; `*`: any, never with credentials). */
    corsOrigins: string[];
    /** CORS_ALLOW_CREDENTIALS: answer Access-Control-Allow-Credentials (refused with `*`). */
    corsAllowCredentials: boolean;
  };
  logLevel: LogLevel;
  /** A JSON file with local-area contact policies (an array of ContactPolicy). */
  policiesFile?: string;
  /** COMMAND_STATE_CACHE_SIZE: cases whose folded state the command executor keeps (0: off; unset: its default). */
  commandStateCacheSize?: number;
  /** DATABASE_POOL_SIZE: PostgreSQL connections per process (unset: the pool's default, 10). */
  databasePoolSize?: number;
  deadlines: DeadlineSettings;
  lease: {
    /** LEASE_RETRY_MS: how often a standby tries to take a lease (and the holder checks its connection). */
    retryMs: number;
  };
  shutdown: {
    /** SHUTDOWN_GRACE_MS: after SIGTERM the process gives up waiting and exits 1. */
    graceMs: number;
  };
  idempotency: {
    /** IDEMPOTENCY_RETENTION_DAYS: how long a key answers for its request before it is purged. */
    retentionDays: number;
  };
  worker: {
    /** WORKER_PORT: health and metrics port of the worker process on its own. */
    port: number;
    /** CASELEDGER_WORKER: whether `npm start` runs the worker side in the API's process. */
    inApiProcess: boolean;
    /** API_WORKERS: API processes `npm start` forks on one port (node:cluster); 1 = no cluster. */
    apiWorkers: number;
  };
  projections: {
    /** PROJECTION_BATCH_SIZE: events per projector batch. */
    batchSize: number;
  };
  /** Signed store checkpoints (DESIGN.md "Evidence an outsider can check"). */
  checkpoints: {
    /** CHECKPOINT_SIGNING_KEY: Ed25519 private key (PKCS#8 PEM or base64 DER); unset: `keyFile` when it exists. */
    signingKey?: string;
    /** CHECKPOINT_PUBLIC_KEY: the public key alone, where the private key is not given. */
    publicKey?: string;
    /** `DATA_DIR/checkpoint-signing-key.pem`, which `npm start` generates. */
    keyFile: string;
    /** CHECKPOINT_INTERVAL_EVENTS */
    everyEvents: number;
    /** CHECKPOINT_INTERVAL_SECONDS */
    everySeconds: number;
  };
  /** Records retention and per-customer encryption (README "Personal data"). */
  personalData: {
    /** PERSONAL_DATA_MASTER_KEY (base64, 32 bytes); unset: `keyFile` when it exists; neither: encryption off. */
    masterKey?: string;
    /** PERSONAL_DATA_PREVIOUS_MASTER_KEYS: earlier master keys that still unwrap until `keys rotate`. */
    previousMasterKeys: string[];
    /** `DATA_DIR/personal-data-master-key`, which `npm start` generates. */
    keyFile: string;
    /** PERSONAL_DATA_RETENTION_DAYS: days after closure before a customer's personal data may be disposed of. */
    retentionDays: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** A malformed value; the message follows the variable's name ("PORT must be …"). */
class Invalid extends Error {}

interface VariableSpec<T> {
  /** What the variable means (the README's "meaning" column). */
  description: string;
  /** Checks and converts the (trimmed, unless `raw`) value; throws Invalid. */
  parse: (value: string) => T;
  /** Keep surrounding spaces (a secret is taken as given). */
  raw?: boolean;
  /** The default as the docs show it when the value is not a literal (e.g. "executor default"). */
  shownDefault?: string;
}
interface WithDefault<T> extends VariableSpec<T> {
  /** Parsed like a given value when the variable is unset or blank. */
  default: string;
}
interface Optional<T> extends VariableSpec<T> {
  default?: undefined;
}
type Variable<T> = WithDefault<T> | Optional<T>;

const withDefault = <T>(fallback: string, spec: VariableSpec<T>): WithDefault<T> => ({
  ...spec,
  default: fallback,
});
const optional = <T>(spec: VariableSpec<T>): Optional<T> => spec;

const text = (value: string): string => value;

/** `*` alone, or origins as browsers send them: scheme, host, optional port; no path. */
function corsOrigins(value: string): string[] {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Invalid('must be either `*` or a list of origins, not both');
    return ['*'];
  }
  for (const origin of origins)
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin))
      throw new Invalid(`must be origins like https://app.example.org (got "${origin}")`);
  return origins;
}

function integer(min: number, max?: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || (max !== undefined && n > max)) {
      throw new Invalid(
        max === undefined
          ? `must be an integer of at least ${min} (got "${value}")`
          : `must be an integer between ${min} and ${max} (got "${value}")`,
      );
    }
    return n;
  };
}

function url(protocols: string[]): (value: string) => string {
  return (value) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new Invalid(`is not a URL: ${value}`);
    }
    if (!protocols.includes(parsed.protocol))
      throw new Invalid(`must use ${protocols.join(' or ')} (got ${parsed.protocol})`);
    return value;
  };
}

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    const lower = value.toLowerCase();
    if (!(values as readonly string[]).includes(lower))
      throw new Invalid(`must be one of ${values.join(', ')} (got "${value}")`);
    return lower as T;
  };
}

const port = integer(0, 65535);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A key set is fetched over https; plain http only from this machine (tests, a local issuer). */
function jwksUrl(value: string): string {
  url(['https:', 'http:'])(value);
  const parsed = new URL(value);
  if (parsed.protocol === 'http:' && !LOOPBACK_HOSTS.has(parsed.hostname))
    throw new Invalid(`must use https: (http: only on a loopback host; got ${parsed.host})`);
  return value;
}

/** An Ed25519 key as PEM (or a private key's base64 PKCS#8 DER); kept as given. */
function ed25519Key(kind: 'private' | 'public'): (value: string) => string {
  return (value) => {
    let key: KeyObject;
    try {
      const trimmed = value.trim();
      key =
        kind === 'public'
          ? createPublicKey(trimmed)
          : trimmed.startsWith('-----')
            ? createPrivateKey(trimmed)
            : createPrivateKey({
                key: Buffer.from(trimmed, 'base64'),
                format: 'der',
                type: 'pkcs8',
              });
    } catch {
      throw new Invalid(`is not a readable ${kind} key (PEM expected)`);
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new Invalid(`must be an Ed25519 key (got ${key.asymmetricKeyType ?? 'unknown'})`);
    return value;
  };
}

/** A 32-byte key in base64 (44 characters), kept as given. */
function masterKey(value: string): string {
  const key = Buffer.from(value.trim(), 'base64');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value.trim()) || key.length !== 32)
    throw new Invalid('must be 32 bytes in base64 (44 characters)');
  return value.trim();
}

/**
 * Every variable Caseledger reads, in the README table's order. A name, its
 * default and its meaning stay put once shipped (deployments set them).
 */
export const CONFIG_SCHEMA = {
  PORT: withDefault('3000', {
    parse: port,
    description: 'HTTP port of the API (and of `npm start`)',
  }),
  DATA_DIR: withDefault('./.data', {
    parse: text,
    description:
      "PGlite's data directory (one process per directory, enforced by a lock file) and the development JWT secret",
  }),
  DATABASE_URL: optional({
    parse: url(['postgres:', 'postgresql:']),
    description:
      'PostgreSQL (`postgres://…`) for events (unless EventStoreDB), read models, checkpoints and idempotency keys; unset: PGlite in `DATA_DIR`',
  }),
  DATABASE_POOL_SIZE: optional({
    parse: integer(1),
    // Unset leaves the pool's own default, which is 10.
    shownDefault: '`10`',
    description: 'PostgreSQL connections per process',
  }),
  EVENTSTORE_CONNECTION_STRING: optional({
    parse: url([
      'esdb:',
      'esdb+discover:',
      'kurrentdb:',
      'kurrentdb+discover:',
      'kdb:',
      'kdb+discover:',
    ]),
    description:
      'EventStoreDB/KurrentDB (`esdb://`, `kurrentdb://…`) for the event log; read models stay in SQL',
  }),
  REDIS_URL: withDefault('redis://127.0.0.1:6379', {
    parse: url(['redis:', 'rediss:']),
    description:
      'Redis for BullMQ; `npm start` starts a local `redis-server` when this one is local and down',
  }),
  AUTH_JWT_SECRET: optional({
    // Its length is checked below, with AUTH_JWKS_URL (which makes it unused).
    parse: text,
    raw: true,
    shownDefault: 'generated by `npm start` into `DATA_DIR`',
    description: 'HS256 secret (≥ 32 bytes) for local tokens',
  }),
  AUTH_JWKS_URL: optional({
    parse: jwksUrl,
    description:
      "an OIDC issuer's JWKS (https; http only on a loopback host); when set, tokens are verified against it instead, and AUTH_ISSUER and AUTH_AUDIENCE are required",
  }),
  AUTH_ISSUER: optional({ parse: text, description: 'required `iss` claim, when set' }),
  AUTH_AUDIENCE: optional({ parse: text, description: 'required `aud` claim, when set' }),
  AUTH_TOKEN_MAX_LIFETIME_SECONDS: withDefault('43200', {
    parse: integer(60),
    description:
      'longest token lifetime accepted (`exp` − `iat`, or `exp` − now without `iat`); every token needs an `exp`',
  }),
  AUTH_CLOCK_SKEW_SECONDS: withDefault('60', {
    parse: integer(0, 600),
    description: 'clock tolerance for `exp` and `nbf`, and how far in the future an `iat` may be',
  }),
  RATE_LIMIT_REQUESTS: withDefault('20000', {
    parse: integer(0),
    description:
      'requests per client address and window before 429 (0: no limit); counted per process',
  }),
  RATE_LIMIT_WINDOW_MS: withDefault('10000', {
    parse: integer(100),
    description: 'the rate-limit window',
  }),
  TRUST_PROXY: optional({
    parse: text,
    description:
      "Fastify's `trustProxy` (`loopback`, a hop count, addresses): the client address and https are then taken from X-Forwarded-For/-Proto",
  }),
  OPS_TOKEN: optional({
    parse: (value) => {
      if (Buffer.byteLength(value) < 16) throw new Invalid('must be at least 16 bytes');
      return value;
    },
    raw: true,
    description:
      'when set, `/metrics`, `/docs` and `/openapi.json` need it: `Authorization: Bearer <token>`, or HTTP Basic with it as the password',
  }),
  CORS_ORIGINS: withDefault('', {
    parse: corsOrigins,
    shownDefault: '—',
    description:
      'comma-separated browser origins (`https://app.example.org`) allowed to call the API, or `*` for any; none by default (no CORS headers, preflight not answered)',
  }),
  CORS_ALLOW_CREDENTIALS: withDefault('off', {
    parse: (value) => oneOf(['on', 'off'] as const)(value) === 'on',
    description:
      '`on`: CORS answers allow credentials (cookies); refused together with `CORS_ORIGINS=*`',
  }),
  LOG_LEVEL: withDefault('info', {
    parse: oneOf(LOG_LEVELS),
    description: 'pino level (`fatal` … `trace`, `silent`)',
  }),
  POLICIES_FILE: optional({
    parse: text,
    description: 'JSON array of local-area contact policies replacing the defaults',
  }),
  COMMAND_STATE_CACHE_SIZE: optional({
    parse: integer(0),
    shownDefault: 'executor default',
    description:
      'cases whose folded state the command executor keeps between commands (0: off); a cached case is not read again, the append at its cached revision judges it (a conflict re-reads)',
  }),
  CASELEDGER_WORKER: withDefault('on', {
    parse: (value) => oneOf(['on', 'off'] as const)(value) === 'on',
    description: '`off` runs the API without the worker side (`npm run start:api`)',
  }),
  API_WORKERS: withDefault('1', {
    parse: integer(1, 64),
    description:
      'API processes on the one PORT (node:cluster); the worker side runs in the first only. Needs DATABASE_URL or EventStoreDB (PGlite is one process)',
  }),
  WORKER_PORT: withDefault('3001', {
    parse: port,
    description: 'health and metrics port of the worker process (`npm run start:worker`)',
  }),
  BULLMQ_PREFIX: withDefault('caseledger', {
    parse: (value) => {
      if (value.includes(':')) throw new Invalid(`must not contain ":" (got "${value}")`);
      return value;
    },
    description: 'BullMQ key prefix',
  }),
  DEADLINE_SWEEP_EVERY_MS: withDefault('300000', {
    parse: integer(1_000),
    description: 'how often the sweep re-derives every open deadline (it also runs at start)',
  }),
  DEADLINE_JOB_ATTEMPTS: withDefault('5', {
    parse: integer(1),
    description: 'bounded retries of a deadline job',
  }),
  DEADLINE_JOB_BACKOFF_MS: withDefault('1000', {
    parse: integer(1),
    description: 'first delay of the exponential backoff between retries',
  }),
  DEADLINE_WORKER_CONCURRENCY: withDefault('256', {
    parse: integer(1),
    description: 'deadline jobs processed in parallel per worker process',
  }),
  DEADLINE_BATCH_SIZE: withDefault('128', {
    parse: integer(1),
    description:
      'most due deadline jobs whose commands share one stream read and one group-committed append',
  }),
  DEADLINE_BATCH_WAIT_MS: withDefault('5', {
    parse: integer(0, 1_000),
    description: "how long a batch's first due job waits for companions (0: none)",
  }),
  DEADLINE_REACTOR_BATCH_SIZE: withDefault('500', {
    parse: integer(1),
    description: 'events per reactor batch',
  }),
  DEADLINE_LOCK_DURATION_MS: withDefault('30000', {
    parse: integer(1_000),
    description: "a job's lock; when a job whose worker died goes to another worker",
  }),
  DEADLINE_STALLED_INTERVAL_MS: withDefault('30000', {
    parse: integer(1_000),
    description: 'how often BullMQ looks for such stalled jobs',
  }),
  PROJECTION_BATCH_SIZE: withDefault('500', {
    parse: integer(1),
    description: 'events per projector batch',
  }),
  LEASE_RETRY_MS: withDefault('5000', {
    parse: integer(100),
    description:
      'how often a standby tries to take a lease (projector, reactor); the holder checks its lease connection as often',
  }),
  IDEMPOTENCY_RETENTION_DAYS: withDefault('7', {
    parse: integer(1),
    description:
      'days the record and answer of an Idempotency-Key are kept; older ones are purged hourly (a repeat after that is still answered from the events, whose ids derive from the key)',
  }),
  SHUTDOWN_GRACE_MS: withDefault('25000', {
    parse: integer(1),
    description:
      "after SIGTERM, stop waiting and exit 1 (keep it below the orchestrator's grace period, 30 s in `deploy/`)",
  }),
  CHECKPOINT_SIGNING_KEY: optional({
    parse: ed25519Key('private'),
    raw: true,
    shownDefault: 'generated by `npm start` into `DATA_DIR`',
    description:
      'Ed25519 private key (PKCS#8 PEM or its base64 DER) that signs the store checkpoints; unset: `DATA_DIR/checkpoint-signing-key.pem` when it exists',
  }),
  CHECKPOINT_PUBLIC_KEY: optional({
    parse: ed25519Key('public'),
    raw: true,
    description:
      'the checkpoint public key alone (SPKI PEM), for processes that verify or publish but do not sign',
  }),
  CHECKPOINT_INTERVAL_EVENTS: withDefault('1000', {
    parse: integer(1),
    description: 'a signed store checkpoint after this many events',
  }),
  CHECKPOINT_INTERVAL_SECONDS: withDefault('60', {
    parse: integer(1),
    description: 'and at least this often while events arrive',
  }),
  PERSONAL_DATA_MASTER_KEY: optional({
    parse: masterKey,
    raw: true,
    shownDefault: 'generated by `npm start` into `DATA_DIR`',
    description:
      "master key (32 bytes, base64) that wraps each customer's data key; unset: `DATA_DIR/personal-data-master-key` when it exists, else personal data is stored unencrypted (a warning at start)",
  }),
  PERSONAL_DATA_PREVIOUS_MASTER_KEYS: optional({
    parse: (value) =>
      value
        .split(',')
        .map((k) => masterKey(k))
        .join(','),
    raw: true,
    description:
      'earlier master keys (comma-separated, base64) that still unwrap data keys during a rotation, until `npm run cli -- keys rotate` has re-wrapped them',
  }),
  PERSONAL_DATA_RETENTION_DAYS: withDefault('1095', {
    parse: integer(0),
    description:
      "days after a case's closure (`closedOn` + days ≤ today in the area's zone) before its customer's personal data may be disposed of (0: right away)",
  }),
} satisfies Record<string, Variable<unknown>>;

export type ConfigVariable = keyof typeof CONFIG_SCHEMA;

type ValueOf<V> =
  V extends WithDefault<infer T> ? T : V extends Optional<infer T> ? T | undefined : never;
type Values = { [K in ConfigVariable]: ValueOf<(typeof CONFIG_SCHEMA)[K]> };

export interface LoadConfigOptions {
  /**
   * Whether this process verifies tokens, so needs AUTH_JWT_SECRET or
   * AUTH_JWKS_URL (the API and `npm start`: yes; the worker process and the
   * CLI: no). A secret that is given is checked either way.
   */
  requireAuth?: boolean;
}

/** Reads and validates the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): AppConfig {
  // The process's own environment is completed from `.env` first (the environment wins).
  if (env === process.env) loadEnvFile(process.env);
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_SCHEMA) as [string, Variable<unknown>][]) {
    const given = env[name];
    const value =
      given !== undefined && given.trim() !== '' ? (spec.raw ? given : given.trim()) : spec.default;
    if (value === undefined) continue;
    try {
      values[name] = spec.parse(value);
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  const v = values as Values;

  const given = (name: ConfigVariable): boolean => (env[name] ?? '').trim() !== '';
  if (!given('AUTH_JWKS_URL')) {
    if (v.AUTH_JWT_SECRET !== undefined && Buffer.byteLength(v.AUTH_JWT_SECRET) < 32)
      problems.push('AUTH_JWT_SECRET must be at least 32 bytes (HS256 key strength)');
    else if (v.AUTH_JWT_SECRET === undefined && (options.requireAuth ?? true))
      problems.push(
        'AUTH_JWT_SECRET is required (HS256 tokens) unless AUTH_JWKS_URL names an OIDC issuer key set; `npm start` generates a development secret in DATA_DIR',
      );
  }

  // The Fetch standard forbids credentials with a wildcard origin; say so at start, not in a browser.
  if (v.CORS_ALLOW_CREDENTIALS && v.CORS_ORIGINS.includes('*'))
    problems.push(
      'CORS_ALLOW_CREDENTIALS=on cannot be combined with CORS_ORIGINS=* (name the origins)',
    );

  if (v.AUTH_JWKS_URL !== undefined) {
    // Tokens from a shared issuer are only ours when they name us and it.
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const)
      if (!given(name)) problems.push(`${name} is required when AUTH_JWKS_URL is set`);
  }

  if (
    v.API_WORKERS > 1 &&
    v.DATABASE_URL === undefined &&
    v.EVENTSTORE_CONNECTION_STRING === undefined
  )
    problems.push(
      'API_WORKERS above 1 needs DATABASE_URL or EVENTSTORE_CONNECTION_STRING: the embedded PGlite store serves one process',
    );

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: v.PORT,
    dataDir: v.DATA_DIR,
    databaseUrl: v.DATABASE_URL,
    eventStoreConnectionString: v.EVENTSTORE_CONNECTION_STRING,
    redisUrl: v.REDIS_URL,
    auth: {
      jwtSecret: v.AUTH_JWT_SECRET,
      jwksUrl: v.AUTH_JWKS_URL,
      issuer: v.AUTH_ISSUER,
      audience: v.AUTH_AUDIENCE,
      maxTokenLifetimeSeconds: v.AUTH_TOKEN_MAX_LIFETIME_SECONDS,
      clockSkewSeconds: v.AUTH_CLOCK_SKEW_SECONDS,
    },
    http: {
      rateLimitRequests: v.RATE_LIMIT_REQUESTS,
      rateLimitWindowMs: v.RATE_LIMIT_WINDOW_MS,
      ...(v.TRUST_PROXY !== undefined ? { trustProxy: v.TRUST_PROXY } : {}),
      ...(v.OPS_TOKEN !== undefined ? { opsToken: v.OPS_TOKEN } : {}),
      corsOrigins: v.CORS_ORIGINS,
      corsAllowCredentials: v.CORS_ALLOW_CREDENTIALS,
    },
    logLevel: v.LOG_LEVEL,
    policiesFile: v.POLICIES_FILE,
    ...(v.COMMAND_STATE_CACHE_SIZE !== undefined
      ? { commandStateCacheSize: v.COMMAND_STATE_CACHE_SIZE }
      : {}),
    ...(v.DATABASE_POOL_SIZE !== undefined ? { databasePoolSize: v.DATABASE_POOL_SIZE } : {}),
    deadlines: {
      prefix: v.BULLMQ_PREFIX,
      sweepEveryMs: v.DEADLINE_SWEEP_EVERY_MS,
      attempts: v.DEADLINE_JOB_ATTEMPTS,
      backoffMs: v.DEADLINE_JOB_BACKOFF_MS,
      concurrency: v.DEADLINE_WORKER_CONCURRENCY,
      batchSize: v.DEADLINE_BATCH_SIZE,
      batchWaitMs: v.DEADLINE_BATCH_WAIT_MS,
      reactorBatchSize: v.DEADLINE_REACTOR_BATCH_SIZE,
      lockDurationMs: v.DEADLINE_LOCK_DURATION_MS,
      stalledIntervalMs: v.DEADLINE_STALLED_INTERVAL_MS,
    },
    lease: { retryMs: v.LEASE_RETRY_MS },
    shutdown: { graceMs: v.SHUTDOWN_GRACE_MS },
    idempotency: { retentionDays: v.IDEMPOTENCY_RETENTION_DAYS },
    worker: { port: v.WORKER_PORT, inApiProcess: v.CASELEDGER_WORKER, apiWorkers: v.API_WORKERS },
    projections: { batchSize: v.PROJECTION_BATCH_SIZE },
    checkpoints: {
      ...(v.CHECKPOINT_SIGNING_KEY !== undefined ? { signingKey: v.CHECKPOINT_SIGNING_KEY } : {}),
      ...(v.CHECKPOINT_PUBLIC_KEY !== undefined ? { publicKey: v.CHECKPOINT_PUBLIC_KEY } : {}),
      keyFile: `${v.DATA_DIR.replace(/\/+$/, '')}/checkpoint-signing-key.pem`,
      everyEvents: v.CHECKPOINT_INTERVAL_EVENTS,
      everySeconds: v.CHECKPOINT_INTERVAL_SECONDS,
    },
    personalData: {
      ...(v.PERSONAL_DATA_MASTER_KEY !== undefined
        ? { masterKey: v.PERSONAL_DATA_MASTER_KEY }
        : {}),
      previousMasterKeys:
        v.PERSONAL_DATA_PREVIOUS_MASTER_KEYS !== undefined
          ? v.PERSONAL_DATA_PREVIOUS_MASTER_KEYS.split(',')
          : [],
      keyFile: `${v.DATA_DIR.replace(/\/+$/, '')}/personal-data-master-key`,
      retentionDays: v.PERSONAL_DATA_RETENTION_DAYS,
    },
  };
}

export interface ConfigRow {
  name: ConfigVariable;
  /** The default as documented ("—": unset unless given). */
  default: string;
  description: string;
}

/** The schema as documentation rows (the README's Configuration table is checked against them). */
export function describeConfig(): ConfigRow[] {
  return (Object.entries(CONFIG_SCHEMA) as [ConfigVariable, Variable<unknown>][]).map(
    ([name, spec]) => ({
      name,
      default: spec.shownDefault ?? (spec.default !== undefined ? `\`${spec.default}\`` : '—'),
      description: spec.description,
    }),
  );
}

/** The schema as a markdown table (variable, default, meaning). */
export function configTableMarkdown(): string {
  const rows = describeConfig().map(
    (row) => `| \`${row.name}\` | ${row.default} | ${row.description} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
