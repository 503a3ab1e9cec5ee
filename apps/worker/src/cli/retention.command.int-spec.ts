import { randomBytes, randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import {
  DEFAULT_POLICIES,
  PERSONAL_DATA_DISPOSED,
  businessDateAt,
  caseStreamId,
} from '@caseledger/domain';
import {
  approveSuspension,
  caseManager,
  enrollInActivity,
  recordContact,
  supervisor,
  suspendCase,
} from '@caseledger/domain/testing';
import { PostgresEventStore, createPgSqlClient, type SqlClient } from '@caseledger/event-store';
import {
  CaseCommandExecutor,
  PersonalDataEventStore,
  PersonalDataKeys,
  createPolicyLookup,
  foldRecorded,
  masterKeyRing,
  systemClock,
} from '@caseledger/platform';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { runCli } from './main';
import { CliError, type CliIo } from './projections.command';

async function run(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    stream: new PassThrough() as unknown as NodeJS.WriteStream,
    write: () => Promise.resolve(),
  };
  try {
    return { code: await runCli(args, io, env), out, err };
  } catch (error) {
    if (error instanceof CliError) return { code: error.exitCode, out, err: [error.message] };
    throw error;
  }
}

/**
 * The CLI twins of records retention (README "Records retention"): `customers
 * dispose` refuses (exit 1, nothing appended) and then disposes like the
 * route; `keys status` reads only; `keys rotate` re-wraps under a new master.
 */
describe('customers dispose and keys CLI on PostgreSQL', () => {
  let database: TestDatabase;
  let sql: SqlClient;
  let raw: PostgresEventStore;
  const master = randomBytes(32).toString('base64');
  const name = `Clitania${randomUUID().slice(0, 6)}`;
  const customerId = `cust-${name}`;
  const caseId = randomUUID();
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    database = await createTestDatabase('retention_cli');
    sql = createPgSqlClient(database.url, { max: 4 });
    raw = await PostgresEventStore.create(sql);
    const store = new PersonalDataEventStore(raw, new PersonalDataKeys(sql, masterKeyRing(master)));
    const executor = new CaseCommandExecutor(
      store,
      createPolicyLookup(DEFAULT_POLICIES),
      systemClock,
    );
    const today = businessDateAt(new Date(), 'America/Chicago');
    const exec = (
      command: Parameters<typeof executor.execute>[0]['command'],
      actor = caseManager(),
    ) =>
      executor.execute({
        caseId,
        command,
        actor,
        commandId: randomUUID(),
        correlationId: 'cli-test',
      });
    await exec({
      type: 'OpenCase',
      data: {
        caseId,
        customer: { id: customerId, firstName: name, lastName: 'Terminal' },
        program: 'WIOA_ADULT',
        careerCenterId: 'cc-springfield',
        localAreaId: 'MO-DEFAULT',
        caseManagerId: 'staff-cm-1',
        openedOn: today,
      },
    });
    await exec(enrollInActivity({ on: today }));
    await exec(recordContact({ on: today, id: 'c-1' }));
    await exec(suspendCase());
    await exec(approveSuspension(), supervisor());
    env = { DATABASE_URL: database.url, PERSONAL_DATA_MASTER_KEY: master, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await raw?.close();
    await sql?.close();
    await database?.drop();
  });

  it('refuses within the retention period (exit 1, nothing appended), then disposes with 0 days; a repeat is ALREADY_DISPOSED', async () => {
    const args = [
      'customers',
      'dispose',
      customerId,
      '--reason',
      'retention over',
      '--retention-rule',
      'schedule 3y',
      '--staff',
      'staff-admin-1',
    ];
    const early = await run(args, env);
    expect(early.code).toBe(1);
    expect(early.err.join('\n')).toContain('retention period of 1095 days');
    expect(await raw.readStream(caseStreamId(caseId))).toHaveLength(5);

    const done = await run([...args, '--json'], { ...env, PERSONAL_DATA_RETENTION_DAYS: '0' });
    expect(done.code).toBe(0);
    expect(JSON.parse(done.out[0]) as unknown).toMatchObject({ outcome: 'DISPOSED', customerId });
    const again = await run([...args, '--json'], { ...env, PERSONAL_DATA_RETENTION_DAYS: '0' });
    expect(JSON.parse(again.out[0]) as unknown).toMatchObject({ outcome: 'ALREADY_DISPOSED' });
    const stored = await raw.readStream(caseStreamId(caseId));
    expect(stored).toHaveLength(6);
    expect(JSON.stringify(stored.map((e) => e.data))).not.toContain(name);
    const store = new PersonalDataEventStore(raw, new PersonalDataKeys(sql, masterKeyRing(master)));
    expect(foldRecorded(await store.readStream(caseStreamId(caseId))).customer?.firstName).toBe(
      PERSONAL_DATA_DISPOSED,
    );
    expect((await raw.verify(caseStreamId(caseId))).valid).toBe(true);
  });

  it('keys status reads only; keys rotate re-wraps the live keys under a new master key', async () => {
    const before = (await raw.readStream(caseStreamId(caseId))).map((e) => e.hash);
    const status = await run(['keys', 'status', '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out[0]) as unknown).toMatchObject({
      currentMasterKeyId: masterKeyRing(master).current.id,
      disposedKeys: 1,
      plaintextFields: 0,
      streamsInClear: 0,
    });
    const next = randomBytes(32).toString('base64');
    const rotated = await run(['keys', 'rotate', '--json'], {
      ...env,
      PERSONAL_DATA_MASTER_KEY: next,
      PERSONAL_DATA_PREVIOUS_MASTER_KEYS: master,
    });
    expect(rotated.code).toBe(0);
    // Only the lookup key is live (the one data key was disposed of).
    expect(JSON.parse(rotated.out[0]) as unknown).toMatchObject({ rewrapped: 1 });
    expect((await raw.readStream(caseStreamId(caseId))).map((e) => e.hash)).toEqual(before);
    const missing = await run(['keys', 'status'], {
      DATABASE_URL: database.url,
      DATA_DIR: '/nonexistent-dir',
    });
    expect(missing.code).toBe(78);
  });
});
