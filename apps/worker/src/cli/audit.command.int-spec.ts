import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CheckpointSigner,
  Checkpointer,
  PostgresEventStore,
  SqlCheckpointStore,
  createPgSqlClient,
  openPgliteSqlClient,
  untilReadable,
  type SqlClient,
} from '@caseledger/event-store';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { runCli } from './main';
import { CliError, type CliIo } from './projections.command';

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
  written: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const written: string[] = [];
  return {
    out,
    err,
    written,
    io: {
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      stream: new PassThrough() as unknown as NodeJS.WriteStream,
      write: (chunk) => {
        written.push(chunk);
        return Promise.resolve();
      },
    },
  };
}

async function run(args: string[], env: NodeJS.ProcessEnv): Promise<Captured & { code: number }> {
  const c = capture();
  try {
    return { ...c, code: await runCli(args, c.io, env) };
  } catch (error) {
    if (error instanceof CliError) {
      c.err.push(error.message);
      return { ...c, code: error.exitCode };
    }
    throw error;
  }
}

/**
 * The auditor's CLI (`npm run cli -- audit …`) against a PostgreSQL store the
 * service could be running on, with the same configuration variables.
 */
describe('audit CLI on PostgreSQL', () => {
  const signer = CheckpointSigner.generate();
  let database: TestDatabase;
  let sql: SqlClient;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const caseId = randomUUID();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'caseledger-audit-cli-'));
    database = await createTestDatabase('audit_cli');
    sql = createPgSqlClient(database.url, { max: 2 });
    const store = await PostgresEventStore.create(sql);
    for (let revision = 0; revision < 5; revision += 1) {
      await store.append(
        `case-${caseId}`,
        [
          {
            eventId: randomUUID(),
            type: revision === 0 ? 'CaseOpened' : 'NoteTaken',
            data:
              revision === 0
                ? { caseId, careerCenterId: 'cc-1', customer: { firstName: 'Ada' } }
                : { n: revision },
            metadata: {
              commandId: randomUUID(),
              correlationId: randomUUID(),
              causationId: randomUUID(),
              actor: { staffId: 'staff-1', role: 'case_manager', careerCenterId: 'cc-1' },
              schemaVersion: 1,
            },
          },
        ],
        revision === 0 ? 'no-stream' : revision - 1,
      );
    }
    await untilReadable(store, 5);
    await new Checkpointer(store, await SqlCheckpointStore.create(sql), signer, {
      everyEvents: 3,
      everySeconds: 3600,
    }).tick({ force: true });
    await store.close();
    env = {
      DATABASE_URL: database.url,
      CHECKPOINT_SIGNING_KEY: signer.privateKeyPem(),
      CHECKPOINT_INTERVAL_EVENTS: '3',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    await sql.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every audit command has --help (exit 0); unknown commands and options are usage errors (exit 2)', async () => {
    for (const command of ['history', 'verify', 'export', 'public-key']) {
      const result = await run(['audit', command, '--help'], env);
      expect(result.code).toBe(0);
      expect(result.out.join('\n')).toContain(`audit ${command}`);
    }
    expect((await run(['audit', 'frobnicate'], env)).code).toBe(2);
    expect((await run(['audit', 'verify', '--bogus', 'x'], env)).code).toBe(2);
    expect((await run(['audit', 'export', '--from-position', 'nope'], env)).code).toBe(2);
  });

  it('audit history prints the case’s events and says the chain is intact; an unknown case exits 1', async () => {
    const result = await run(['audit', 'history', caseId], env);
    expect(result.code).toBe(0);
    expect(result.out).toHaveLength(5);
    expect(result.out[0]).toContain('CaseOpened');
    expect(result.err.join('\n')).toContain('hash chain intact');
    const json = await run(['audit', 'history', caseId, '--json'], env);
    expect(JSON.parse(json.out[4])).toMatchObject({ revision: 4, type: 'NoteTaken' });
    expect((await run(['audit', 'history', randomUUID()], env)).code).toBe(1);
  });

  it('audit export writes NDJSON that the offline verifier accepts with the key from audit public-key', async () => {
    const exported = await run(['audit', 'export', '--case-id', caseId], env);
    expect(exported.code).toBe(0);
    const key = await run(['audit', 'public-key'], env);
    expect(key.code).toBe(0);
    const file = join(dir, 'export.ndjson');
    const keyFile = join(dir, 'key.pem');
    writeFileSync(file, exported.written.join(''));
    writeFileSync(keyFile, `${key.out.join('\n')}\n`);
    const check = spawnSync(
      process.execPath,
      [
        join(__dirname, '..', '..', '..', '..', 'tools', 'verify-export.mjs'),
        file,
        '--public-key',
        keyFile,
      ],
      { encoding: 'utf8' },
    );
    expect(check.stdout).toContain('export verified: 5 events in 1 streams, 2 checkpoints');
    expect(check.status).toBe(0);
  });

  it('audit verify exits 0 on an untouched store and 1 naming what failed once an event is edited in SQL', async () => {
    const clean = await run(['audit', 'verify'], env);
    expect(clean.out.join('\n')).toContain('store verified: 5 events in 1 streams, 2 checkpoints');
    expect(clean.code).toBe(0);
    const newest = /newest checkpoint (\d+:[0-9a-f]{64})/.exec(clean.out.join('\n'))![1];
    expect((await run(['audit', 'verify', '--case', caseId, '--expect', newest], env)).code).toBe(
      0,
    );
    await sql.query(
      `UPDATE es_events SET data = '{"n": 99}'::jsonb WHERE stream_id = $1 AND revision = 3`,
      [`case-${caseId}`],
    );
    const tampered = await run(['audit', 'verify'], env);
    expect(tampered.code).toBe(1);
    expect(tampered.out.join('\n')).toContain(
      `FAILED case-${caseId} revision 3: its content does not match its hash`,
    );
    const oneCase = await run(['audit', 'verify', '--case', caseId], env);
    expect(oneCase.code).toBe(1);
    expect(oneCase.out.join('\n')).toContain(`case-${caseId} revision 3: hash chain broken`);
  });
});

describe('audit CLI on the embedded PGlite data dir', () => {
  it('says plainly that the data dir is held by a running Caseledger (exit 75)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseledger-audit-cli-pglite-'));
    const held = await openPgliteSqlClient(dir);
    try {
      const result = await run(['audit', 'verify'], { DATA_DIR: dir, LOG_LEVEL: 'silent' });
      expect(result.code).toBe(75);
      expect(result.err.join('\n')).toContain('held by a running Caseledger');
    } finally {
      await held.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
