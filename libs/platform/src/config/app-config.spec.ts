import { ConfigError, loadConfig } from './app-config';

const SECRET = 'a-development-secret-of-at-least-32-bytes';

describe('configuration', () => {
  it('defaults: port 3000, ./.data, local Redis, info logs, PGlite (no DATABASE_URL)', () => {
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET })).toEqual({
      port: 3000,
      dataDir: './.data',
      databaseUrl: undefined,
      eventStoreConnectionString: undefined,
      redisUrl: 'redis://127.0.0.1:6379',
      auth: { jwtSecret: SECRET, jwksUrl: undefined, issuer: undefined, audience: undefined },
      logLevel: 'info',
      policiesFile: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/caseledger',
      DATABASE_URL: 'postgres://127.0.0.1:5432/caseledger',
      EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:2113?tls=false',
      REDIS_URL: 'redis://127.0.0.1:6380',
      AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://issuer.example/',
      AUTH_AUDIENCE: 'caseledger',
      LOG_LEVEL: 'DEBUG',
      POLICIES_FILE: './policies.json',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://127.0.0.1:5432/caseledger',
      eventStoreConnectionString: 'esdb://127.0.0.1:2113?tls=false',
      auth: { jwksUrl: 'https://issuer.example/.well-known/jwks.json', audience: 'caseledger' },
      logLevel: 'debug',
      policiesFile: './policies.json',
    });
  });

  it('lists every problem at once with the variable it concerns', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'nope',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT must be an integer/);
    expect(problems).toMatch(/DATABASE_URL must use postgres/);
    expect(problems).toMatch(/REDIS_URL is not a URL/);
    expect(problems).toMatch(/AUTH_JWT_SECRET is required/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
  });

  it('refuses an HS256 secret too short to be a key', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
  });

  it('reads the command-path tuning knobs as whole numbers and refuses anything else', () => {
    expect(
      loadConfig({
        AUTH_JWT_SECRET: SECRET,
        COMMAND_STATE_CACHE_SIZE: '0',
        DATABASE_POOL_SIZE: '24',
      }),
    ).toMatchObject({ commandStateCacheSize: 0, databasePoolSize: 24 });
    expect(loadConfig({ AUTH_JWT_SECRET: SECRET })).not.toHaveProperty('commandStateCacheSize');
    expect(() => loadConfig({ AUTH_JWT_SECRET: SECRET, COMMAND_STATE_CACHE_SIZE: 'lots' })).toThrow(
      /COMMAND_STATE_CACHE_SIZE must be a whole number/,
    );
    expect(() => loadConfig({ AUTH_JWT_SECRET: SECRET, DATABASE_POOL_SIZE: '0' })).toThrow(
      /DATABASE_POOL_SIZE must be a whole number of at least 1/,
    );
  });
});
