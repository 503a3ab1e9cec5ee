import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { CURRENT_SCHEMA_VERSION, caseStreamId, type CaseEvent } from '@caseledger/domain';
import {
  caseOpened,
  caseSoftExited,
  contactRecorded,
  day,
  enrolled,
} from '@caseledger/domain/testing';
import {
  PostgresEventStore,
  createPgSqlClient,
  positionToString,
  untilReadable,
  type SqlClient,
} from '@caseledger/event-store';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { runCli } from './main';
import { CliError, type CliIo } from './projections.command';

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const written: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    stream: new PassThrough() as unknown as NodeJS.WriteStream,
    write: (chunk) => {
      written.push(chunk);
      return Promise.resolve();
    },
  };
  try {
    return { out, err, written, code: await runCli(args, io, env) };
  } catch (error) {
    if (error instanceof CliError) {
      err.push(error.message);
      return { out, err, written, code: error.exitCode };
    }
    throw error;
  }
}

/** `npm run cli -- reports …` on the same PostgreSQL store the service runs on. */
describe('reports CLI on PostgreSQL', () => {
  // Waits for the shared server's read horizon (a long transaction elsewhere holds it) fit inside.
  jest.setTimeout(320_000);
  let database: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;
  let env: NodeJS.ProcessEnv;
  const exited = randomUUID();
  const gap70 = randomUUID();
  const meta = (type: CaseEvent['type']) => {
    const id = randomUUID();
    return {
      commandId: id,
      correlationId: id,
      causationId: id,
      actor: { staffId: 'cm-1', role: 'case_manager', careerCenterId: 'cc-springfield' },
      schemaVersion: CURRENT_SCHEMA_VERSION[type],
    };
  };
  const append = (caseId: string, events: CaseEvent[]) =>
    store.append(
      caseStreamId(caseId),
      events.map((e) => ({
        eventId: randomUUID(),
        type: e.type,
        data: e.data,
        metadata: meta(e.type),
      })),
      'any',
    );

  beforeAll(async () => {
    database = await createTestDatabase('reports_cli');
    sql = createPgSqlClient(database.url, { max: 2 });
    store = await PostgresEventStore.create(sql);
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    await append(exited, [
      caseOpened({ caseId: exited, on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ id: 'c1', on: day(5) }),
      caseSoftExited({ exitDate: day(5), dueOn: day(95), detectedOn: day(96) }),
    ]);
    await append(gap70, [
      caseOpened({ caseId: gap70, on: day(0) }),
      enrolled({ on: day(0) }),
      contactRecorded({ id: 'c1', on: day(10) }),
      contactRecorded({ id: 'c2', on: day(80) }),
    ]);
    // The store returns only finished transactions older than every one in
    // flight on the shared server: wait until these appends are readable.
    await untilReadable(store, 8, 300_000);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await database.drop();
  });

  it('exits: the report on stdout, position and digest on stderr; --at-position repeats the bytes after more appends', async () => {
    const first = await run(['reports', 'exits', '--from', day(0), '--to', day(100)], env);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.written.join('')) as {
      position: string;
      digest: string;
      exits: Array<{ caseId: string; exitDate: string }>;
    };
    expect(report.exits).toEqual([expect.objectContaining({ caseId: exited, exitDate: day(5) })]);
    expect(first.err.join('\n')).toContain(`digest ${report.digest}`);
    await append(gap70, [contactRecorded({ id: 'c3', on: day(90) })]);
    await untilReadable(store, 9, 300_000);
    const again = await run(
      ['reports', 'exits', '--from', day(0), '--to', day(100), '--at-position', report.position],
      env,
    );
    expect(again.written.join('')).toBe(first.written.join(''));
    const csv = await run(
      ['reports', 'exits', '--from', day(0), '--to', day(100), '--format', 'csv'],
      env,
    );
    expect(csv.written.join('').split('\r\n')[1]).toMatch(
      new RegExp(`^${exited},${day(5)},WIOA_ADULT,`),
    );
  });

  it('what-if: the differing cases streamed as JSON with the pinned position; nothing appended', async () => {
    const head = positionToString((await store.headPosition())!);
    const res = await run(
      ['reports', 'what-if', '--from', day(0), '--to', day(100), '--soft-exit-after-days', '60'],
      env,
    );
    expect(res.code).toBe(0);
    const body = JSON.parse(res.written.join('')) as {
      position: string;
      differences: Array<{ caseId: string; whatIf: { exitDate: string } }>;
      totals: { casesWithDifferences: number };
    };
    expect(body.position).toBe(head);
    expect(body.differences.map((d) => [d.caseId, d.whatIf.exitDate])).toEqual([[gap70, day(10)]]);
    expect(positionToString((await store.headPosition())!)).toBe(head);
  });

  it('refuses bad options with exit code 2 naming the field', async () => {
    const bad = await run(['reports', 'exits', '--from', '2025-02-30', '--to', day(100)], env);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('from:');
    const beyond = await run(
      ['reports', 'exits', '--from', day(0), '--to', day(100), '--at-position', '999999999/0'],
      env,
    );
    expect(beyond.code).toBe(2);
    expect(beyond.err.join('\n')).toContain('atPosition');
    const window = await run(
      ['reports', 'what-if', '--from', day(0), '--to', day(100), '--soft-exit-after-days', 'soon'],
      env,
    );
    expect(window.code).toBe(2);
  });

  it('cohorts: save, list and show (same digest at the saved position)', async () => {
    const saved = await run(
      ['reports', 'cohorts', 'save', '--from', day(0), '--to', day(100)],
      env,
    );
    expect(saved.code).toBe(0);
    const cohort = JSON.parse(saved.out[0]) as { cohortId: string; digest: string };
    const list = await run(['reports', 'cohorts', 'list'], env);
    expect(list.out.map((l) => (JSON.parse(l) as { cohortId: string }).cohortId)).toContain(
      cohort.cohortId,
    );
    const shown = await run(['reports', 'cohorts', 'show', cohort.cohortId], env);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out.join('\n'))).toMatchObject({
      reproduced: { digest: cohort.digest, matches: true },
      changes: { added: [], removed: [], changed: [] },
    });
  });
});
