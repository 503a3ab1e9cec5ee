import { rmSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Role } from '@caseledger/domain';
import { loadConfig, type AppConfig, type Clock } from '@caseledger/platform';
import { SignJWT } from 'jose';
import { Redis } from 'ioredis';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { WorkerModule } from '@caseledger/worker';
import { deleteKeysWithPrefix } from '@caseledger/deadlines/testing';
import {
  createTestDatabase,
  pgliteDataDir,
  redisUrl,
  uniquePrefix,
  type TestDatabase,
} from '@caseledger/testing';

export type Backend = 'postgres' | 'pglite';
export const BACKENDS: Backend[] = ['postgres', 'pglite'];

export const TEST_SECRET = 'e2e-secret-that-is-long-enough-for-hs256-keys';

export interface ApiHarness {
  app: NestFastifyApplication;
  /** The Node HTTP server, for supertest. */
  server: Parameters<typeof import('supertest')>[0];
  config: AppConfig;
  close(): Promise<void>;
}

/** One real app per test file: PostgreSQL (throw-away database) or PGlite (temp dir), real Redis. */
export async function startApi(
  backend: Backend,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<ApiHarness> {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  const env: Record<string, string> = {
    AUTH_JWT_SECRET: TEST_SECRET,
    REDIS_URL: redisUrl(),
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  if (backend === 'postgres') {
    database = await createTestDatabase('api_e2e');
    env.DATABASE_URL = database.url;
  } else {
    dataDir = await pgliteDataDir('api-e2e');
    env.DATA_DIR = dataDir;
  }
  const config = loadConfig(env);
  const app = await createApiApp(config, options.clock ? { clock: options.clock } : {});
  await app.init();
  return {
    app,
    server: app.getHttpServer() as Parameters<typeof import('supertest')>[0],
    config,
    async close() {
      await app.close();
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The all-in-one app as `npm start` runs it (API with the worker side: projections
 * and deadline jobs) on a throw-away PostgreSQL database and its own BullMQ
 * prefix, whose keys `close()` deletes.
 */
export async function startAllInOne(label: string): Promise<ApiHarness> {
  const database = await createTestDatabase(`${label}_e2e`);
  const prefix = uniquePrefix(`e2e-${label}`);
  const config = loadConfig({
    AUTH_JWT_SECRET: TEST_SECRET,
    REDIS_URL: redisUrl(),
    BULLMQ_PREFIX: prefix,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
  });
  const app = await createApiApp(config, { workers: [WorkerModule] });
  await app.init();
  return {
    app,
    server: app.getHttpServer() as Parameters<typeof import('supertest')>[0],
    config,
    async close() {
      await app.close();
      await database.drop();
      const redis = new Redis(redisUrl());
      await deleteKeysWithPrefix(redis, prefix);
      await redis.quit();
    },
  };
}

export interface TokenClaims {
  role: Role;
  center: string;
  sub?: string;
  clearances?: string[];
  secret?: string;
}

export async function tokenFor(claims: TokenClaims): Promise<string> {
  const payload: Record<string, unknown> = { role: claims.role, careerCenterId: claims.center };
  if (claims.clearances) payload.clearances = claims.clearances;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? `staff-${claims.role}-${claims.center}`)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(claims.secret ?? TEST_SECRET));
}
