import { generateKeyPairSync } from 'node:crypto';
import {
  CONFIG_SCHEMA,
  ConfigError,
  configTableMarkdown,
  describeConfig,
  loadConfig,
  type ConfigVariable,
} from './app-config';

const SECRET = 'a-development-secret-of-at-least-32-bytes';
const ISSUER = { AUTH_ISSUER: 'https://issuer.example/', AUTH_AUDIENCE: 'caseledger' };

function problemsOf(env: Record<string, string>, options?: { requireAuth?: boolean }): string[] {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

/**
 * One malformed value per variable; `null` for the free-text ones, which have
 * none. Keyed by every variable of the schema, so a new one must be added here.
 */
const KEYS = generateKeyPairSync('ed25519');
const SIGNING_KEY = KEYS.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const PUBLIC_KEY = KEYS.publicKey.export({ format: 'pem', type: 'spki' }).toString();

const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
const PREVIOUS_KEY = Buffer.alloc(32, 9).toString('base64');

const MALFORMED: Record<ConfigVariable, string | null> = {
  PORT: 'eighty',
  DATA_DIR: null,
  DATABASE_URL: 'mysql://127.0.0.1/caseledger',
  DATABASE_POOL_SIZE: '0',
  API_WORKERS: '0',
  EVENTSTORE_CONNECTION_STRING: 'http://127.0.0.1:2113',
  REDIS_URL: 'nope',
  AUTH_JWT_SECRET: 'short',
  AUTH_JWKS_URL: 'ftp://issuer.example/jwks.json',
  AUTH_ISSUER: null,
  AUTH_AUDIENCE: null,
  AUTH_TOKEN_MAX_LIFETIME_SECONDS: '12h',
  AUTH_CLOCK_SKEW_SECONDS: '3600',
  RATE_LIMIT_REQUESTS: '-1',
  RATE_LIMIT_WINDOW_MS: '10',
  TRUST_PROXY: null,
  OPS_TOKEN: 'short',
  CORS_ORIGINS: 'app.example.org/path',
  CORS_ALLOW_CREDENTIALS: 'yes',
  LOG_LEVEL: 'loud',
  POLICIES_FILE: null,
  COMMAND_STATE_CACHE_SIZE: 'lots',
  CASELEDGER_WORKER: 'maybe',
  WORKER_PORT: '70000',
  BULLMQ_PREFIX: 'a:b',
  DEADLINE_SWEEP_EVERY_MS: '999',
  DEADLINE_JOB_ATTEMPTS: '0',
  DEADLINE_JOB_BACKOFF_MS: '-1',
  DEADLINE_WORKER_CONCURRENCY: 'many',
  DEADLINE_BATCH_SIZE: '0',
  DEADLINE_BATCH_WAIT_MS: '5000',
  DEADLINE_REACTOR_BATCH_SIZE: '1.5',
  DEADLINE_LOCK_DURATION_MS: '10',
  DEADLINE_STALLED_INTERVAL_MS: 'often',
  PROJECTION_BATCH_SIZE: '0',
  LEASE_RETRY_MS: '99',
  SHUTDOWN_GRACE_MS: '0',
  IDEMPOTENCY_RETENTION_DAYS: '0',
  CHECKPOINT_SIGNING_KEY: 'not a key',
  CHECKPOINT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
  CHECKPOINT_INTERVAL_EVENTS: '0',
  CHECKPOINT_INTERVAL_SECONDS: 'hourly',
  PERSONAL_DATA_MASTER_KEY: 'dG9vIHNob3J0',
  PERSONAL_DATA_PREVIOUS_MASTER_KEYS: 'not base64 at all!',
  PERSONAL_DATA_RETENTION_DAYS: '-1',
};
const MALFORMED_ENTRIES = (Object.entries(MALFORMED) as [ConfigVariable, string | null][]).filter(
  (entry): entry is [ConfigVariable, string] => entry[1] !== null,
);

describe('configuration (one schema)', () => {
  it('CORS_ORIGINS: none by default, a list of origins, or * alone; credentials never with *', () => {
    const base = { AUTH_JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(base).http).toMatchObject({ corsOrigins: [], corsAllowCredentials: false });
    expect(
      loadConfig({ ...base, CORS_ORIGINS: 'https://a.example.org, http://localhost:5173' }).http
        .corsOrigins,
    ).toEqual(['https://a.example.org', 'http://localhost:5173']);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: '*,https://a.example.org' })).toThrow(
      /must be either `\*` or a list/,
    );
    expect(() => loadConfig({ ...base, CORS_ORIGINS: '*', CORS_ALLOW_CREDENTIALS: 'on' })).toThrow(
      /cannot be combined with CORS_ORIGINS=\*/,
    );
  });

  it('every variable has its default: port 3000, ./.data, PGlite, local Redis, info logs, the worker side in process, deadline and lease timings', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET })).toEqual({
      port: 3000,
      dataDir: './.data',
      databaseUrl: undefined,
      eventStoreConnectionString: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      auth: {
        jwtSecret: SECRET,
        jwksUrl: undefined,
        issuer: undefined,
        audience: undefined,
        maxTokenLifetimeSeconds: 43_200,
        clockSkewSeconds: 60,
      },
      http: {
        rateLimitRequests: 20_000,
        rateLimitWindowMs: 10_000,
        corsOrigins: [],
        corsAllowCredentials: false,
      },
      logLevel: 'info',
      policiesFile: undefined,
      deadlines: {
        prefix: 'caseledger',
        sweepEveryMs: 300_000,
        attempts: 5,
        backoffMs: 1_000,
        concurrency: 256,
        batchSize: 128,
        batchWaitMs: 5,
        reactorBatchSize: 500,
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
      },
      lease: { retryMs: 5_000 },
      shutdown: { graceMs: 25_000 },
      idempotency: { retentionDays: 7 },
      worker: { port: 3001, inApiProcess: true, apiWorkers: 1 },
      projections: { batchSize: 500 },
      checkpoints: {
        keyFile: './.data/checkpoint-signing-key.pem',
        everyEvents: 1000,
        everySeconds: 60,
      },
      personalData: {
        keyFile: './.data/personal-data-master-key',
        previousMasterKeys: [],
        retentionDays: 1095,
      },
    });
  });

  it('unset tuning knobs stay unset, so their owners apply their own defaults (executor cache, pool size)', () => {
    const config = loadConfig({ AUTH_JWT_SECRET: SECRET });
    expect(config).not.toHaveProperty('commandStateCacheSize');
    expect(config).not.toHaveProperty('databasePoolSize');
  });

  it('a blank variable counts as unset', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET, PORT: '  ', BULLMQ_PREFIX: '' })).toMatchObject({
      port: 3000,
      deadlines: { prefix: 'caseledger' },
    });
  });

  it('reads every variable into its section', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: ' /var/lib/caseledger ',
      DATABASE_URL: 'postgres://127.0.0.1:5432/caseledger',
      DATABASE_POOL_SIZE: '24',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      REDIS_URL: 'redis://127.0.0.1:6380',
      AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://issuer.example/',
      AUTH_AUDIENCE: 'caseledger',
      AUTH_TOKEN_MAX_LIFETIME_SECONDS: '3600',
      AUTH_CLOCK_SKEW_SECONDS: '5',
      RATE_LIMIT_REQUESTS: '100',
      RATE_LIMIT_WINDOW_MS: '1000',
      TRUST_PROXY: 'loopback',
      OPS_TOKEN: 'an-operations-token-0123',
      LOG_LEVEL: 'DEBUG',
      POLICIES_FILE: './policies.json',
      COMMAND_STATE_CACHE_SIZE: '0',
      CASELEDGER_WORKER: 'OFF',
      WORKER_PORT: '9001',
      BULLMQ_PREFIX: 'tenant-a',
      DEADLINE_SWEEP_EVERY_MS: '60000',
      DEADLINE_JOB_ATTEMPTS: '3',
      DEADLINE_JOB_BACKOFF_MS: '250',
      DEADLINE_WORKER_CONCURRENCY: '64',
      DEADLINE_BATCH_SIZE: '32',
      DEADLINE_BATCH_WAIT_MS: '0',
      DEADLINE_REACTOR_BATCH_SIZE: '1000',
      DEADLINE_LOCK_DURATION_MS: '5000',
      DEADLINE_STALLED_INTERVAL_MS: '6000',
      PROJECTION_BATCH_SIZE: '2000',
      LEASE_RETRY_MS: '300',
      SHUTDOWN_GRACE_MS: '20000',
      IDEMPOTENCY_RETENTION_DAYS: '30',
      CHECKPOINT_SIGNING_KEY: SIGNING_KEY,
      CHECKPOINT_PUBLIC_KEY: PUBLIC_KEY,
      CHECKPOINT_INTERVAL_EVENTS: '50',
      CHECKPOINT_INTERVAL_SECONDS: '5',
      PERSONAL_DATA_MASTER_KEY: MASTER_KEY,
      PERSONAL_DATA_PREVIOUS_MASTER_KEYS: `${PREVIOUS_KEY},${MASTER_KEY}`,
      PERSONAL_DATA_RETENTION_DAYS: '0',
    });
    expect(config).toEqual({
      port: 8080,
      dataDir: '/var/lib/caseledger',
      databaseUrl: 'postgres://127.0.0.1:5432/caseledger',
      databasePoolSize: 24,
      eventStoreConnectionString: 'esdb://127.0.0.1:2113?tls=false',
      redisUrl: 'redis://127.0.0.1:6380',
      auth: {
        jwtSecret: undefined,
        jwksUrl: 'https://issuer.example/.well-known/jwks.json',
        issuer: 'https://issuer.example/',
        audience: 'caseledger',
        maxTokenLifetimeSeconds: 3_600,
        clockSkewSeconds: 5,
      },
      http: {
        rateLimitRequests: 100,
        rateLimitWindowMs: 1_000,
        trustProxy: 'loopback',
        opsToken: 'an-operations-token-0123',
        corsOrigins: [],
        corsAllowCredentials: false,
      },
      logLevel: 'debug',
      policiesFile: './policies.json',
      commandStateCacheSize: 0,
      deadlines: {
        prefix: 'tenant-a',
        sweepEveryMs: 60_000,
        attempts: 3,
        backoffMs: 250,
        concurrency: 64,
        batchSize: 32,
        batchWaitMs: 0,
        reactorBatchSize: 1_000,
        lockDurationMs: 5_000,
        stalledIntervalMs: 6_000,
      },
      lease: { retryMs: 300 },
      shutdown: { graceMs: 20_000 },
      idempotency: { retentionDays: 30 },
      worker: { port: 9001, inApiProcess: false, apiWorkers: 1 },
      projections: { batchSize: 2_000 },
      checkpoints: {
        signingKey: SIGNING_KEY,
        publicKey: PUBLIC_KEY,
        keyFile: '/var/lib/caseledger/checkpoint-signing-key.pem',
        everyEvents: 50,
        everySeconds: 5,
      },
      personalData: {
        masterKey: MASTER_KEY,
        previousMasterKeys: [PREVIOUS_KEY, MASTER_KEY],
        keyFile: '/var/lib/caseledger/personal-data-master-key',
        retentionDays: 0,
      },
    });
  });

  it('the HS256 secret is taken as given, spaces included', () => {
    const secret = ` ${SECRET} `;
    expect(loadConfig({ AUTH_JWT_SECRET: secret }).auth.jwtSecret).toBe(secret);
  });

  it.each(MALFORMED_ENTRIES)(
    'a malformed %s (%j) is refused, naming the variable',
    (name, value) => {
      const problems = problemsOf({ AUTH_JWT_SECRET: SECRET, [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name} (must|is not)`));
    },
  );

  it('the malformed-value table covers every variable of the schema', () => {
    expect(Object.keys(MALFORMED).sort()).toEqual(Object.keys(CONFIG_SCHEMA).sort());
  });

  it('lists every problem at once, one per malformed variable, each with its name', () => {
    const env = Object.fromEntries(
      MALFORMED_ENTRIES.filter(([name]) => name !== 'AUTH_JWT_SECRET'),
    );
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    // AUTH_JWKS_URL is malformed but given, so no "AUTH_JWT_SECRET is required" on top.
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(Object.keys(env).sort());
    expect((error as ConfigError).message).toMatch(/^invalid configuration:\n {2}- /);
  });

  it('AUTH_JWT_SECRET is required unless AUTH_JWKS_URL is set, and only where tokens are verified', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^AUTH_JWT_SECRET is required/)]);
    expect(problemsOf({ AUTH_JWKS_URL: 'https://issuer.example/jwks.json', ...ISSUER })).toEqual(
      [],
    );
    expect(problemsOf({}, { requireAuth: false })).toEqual([]);
    // A secret that is given is still checked.
    expect(problemsOf({ AUTH_JWT_SECRET: 'short' }, { requireAuth: false })).toEqual([
      expect.stringMatching(/^AUTH_JWT_SECRET must be at least 32 bytes/),
    ]);
  });

  it('a short secret beside AUTH_JWKS_URL is not refused (it is unused then)', () => {
    expect(
      problemsOf({
        AUTH_JWKS_URL: 'https://issuer.example/jwks.json',
        AUTH_JWT_SECRET: 'short',
        ...ISSUER,
      }),
    ).toEqual([]);
  });

  it('describeConfig documents every variable once, with its default as loadConfig applies it', () => {
    const rows = describeConfig();
    expect(rows.map((row) => row.name)).toEqual(Object.keys(CONFIG_SCHEMA));
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    const shown = Object.fromEntries(rows.map((row) => [row.name, row.default]));
    expect(shown).toMatchObject({
      PORT: '`3000`',
      DATA_DIR: '`./.data`',
      DATABASE_URL: '—',
      REDIS_URL: '`redis://127.0.0.1:6379`',
      CASELEDGER_WORKER: '`on`',
      WORKER_PORT: '`3001`',
      BULLMQ_PREFIX: '`caseledger`',
      DEADLINE_SWEEP_EVERY_MS: '`300000`',
      PROJECTION_BATCH_SIZE: '`500`',
      LEASE_RETRY_MS: '`5000`',
      SHUTDOWN_GRACE_MS: '`25000`',
    });
    const table = configTableMarkdown().split('\n');
    expect(table).toHaveLength(rows.length + 2);
    expect(table[2]).toBe(`| \`PORT\` | \`3000\` | ${CONFIG_SCHEMA.PORT.description} |`);
  });

  it('JWKS mode requires AUTH_ISSUER and AUTH_AUDIENCE, and an https key set (http only on loopback)', () => {
    expect(problemsOf({ AUTH_JWKS_URL: 'https://issuer.example/jwks.json' })).toEqual([
      'AUTH_ISSUER is required when AUTH_JWKS_URL is set',
      'AUTH_AUDIENCE is required when AUTH_JWKS_URL is set',
    ]);
    expect(problemsOf({ AUTH_JWKS_URL: 'http://issuer.example/jwks.json', ...ISSUER })).toEqual([
      expect.stringMatching(/^AUTH_JWKS_URL must use https:/),
    ]);
    for (const host of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080'])
      expect(problemsOf({ AUTH_JWKS_URL: `http://${host}/jwks.json`, ...ISSUER })).toEqual([]);
  });
});
