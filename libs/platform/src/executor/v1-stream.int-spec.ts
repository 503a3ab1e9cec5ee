import { DEFAULT_POLICIES, caseStreamId, type Actor, type CaseCommand } from '@caseledger/domain';
import { caseManager, date, recordContact, supervisor } from '@caseledger/domain/testing';
import {
  PostgresEventStore,
  createPgSqlClient,
  verifyChain,
  type NewEvent,
  type SqlClient,
} from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@caseledger/testing';
import { FixedClock } from '../clock/clock';
import { createPolicyLookup } from '../policy/policies';
import { CaseCommandExecutor } from './case-command-executor';
import { foldRecorded } from './domain-bridge';

/**
 * DESIGN.md "Events": schema changes go through upcasters, never by rewriting
 * stored events. Streams written by the v1 code (schema version 1 everywhere,
 * v1 shapes: policy terms without id/version/R20, a closure without an exit
 * date, a soft exit that does not explain itself) still fold, still verify,
 * and still take v2 commands.
 */
describe('v1 streams under the v2 rules (PostgreSQL store)', () => {
  let db: TestDatabase;
  let sql: SqlClient;
  let store: PostgresEventStore;
  const clock = new FixedClock(new Date('2025-06-02T15:00:00Z'));
  const executor = () =>
    new CaseCommandExecutor(store, createPolicyLookup(DEFAULT_POLICIES), clock);

  beforeAll(async () => {
    db = await createTestDatabase('v1_streams');
    sql = createPgSqlClient(db.url);
    store = await PostgresEventStore.create(sql);
  });
  afterAll(async () => {
    await store.close();
    await sql.close();
    await db.drop();
  });

  const v1 = (
    type: string,
    data: Record<string, unknown>,
    actor: Actor = caseManager(),
  ): NewEvent => {
    const id = randomUUID();
    return {
      eventId: id,
      type,
      data,
      metadata: {
        commandId: id,
        correlationId: id,
        causationId: id,
        actor: { staffId: actor.staffId, role: actor.role, careerCenterId: actor.careerCenterId },
        schemaVersion: 1,
      },
    };
  };
  const opened = (caseId: string) =>
    v1('CaseOpened', {
      caseId,
      customer: { id: 'cust-v1', firstName: 'Ada', lastName: 'Byron' },
      program: 'WIOA_ADULT',
      careerCenterId: 'cc-springfield',
      localAreaId: 'MO-DEFAULT',
      caseManagerId: 'staff-cm-1',
      openedOn: '2025-01-06',
      // v1 terms: no policy id, no version, no R20 follow-up terms.
      policy: { contactIntervalDays: 90, softExitWindowDays: 90, followUpPeriodDays: 30 },
    });
  const contact = (contactId: string, occurredOn: string) =>
    v1('ContactRecorded', {
      contactId,
      method: 'IN_PERSON',
      party: 'CUSTOMER',
      outcome: 'REACHED',
      occurredOn,
      progress: 'Attends every class; passed the mid-term welding practical.',
      justification: 'On track for the certificate; continued training is justified.',
      qualifying: true,
    });
  const enrolled = v1.bind(null, 'ActivityEnrolled', {
    enrollmentId: 'enr-1',
    activityType: 'JOB_SEARCH',
    activityName: 'Job club',
    startDate: '2025-01-06',
  });

  it('a v1 closed stream folds with the program exit date, not the approval day, and verifies', async () => {
    const caseId = randomUUID();
    const stream = caseStreamId(caseId);
    await store.append(
      stream,
      [
        opened(caseId),
        enrolled(),
        contact('c-1', '2025-02-01'),
        v1('CaseSuspended', {
          reason: 'CUSTOMER_WITHDREW',
          details: 'Withdrew by letter.',
          suspendedOn: '2025-03-01',
        }),
        v1('CaseClosed', { reason: 'CUSTOMER_WITHDREW', closedOn: '2025-03-05' }, supervisor()),
      ],
      'no-stream',
    );
    const recorded = await store.readStream(stream);
    expect(recorded.map((e) => e.metadata.schemaVersion)).toEqual([1, 1, 1, 1, 1]);
    const state = foldRecorded(recorded);
    expect(state).toMatchObject({
      status: 'CLOSED',
      exitDate: '2025-02-01',
      closedOn: '2025-03-05',
      closureReason: 'CUSTOMER_WITHDREW',
      suspension: null,
      policy: { policyId: 'MO-DEFAULT', version: 1, followUpMonths: 12, followUpEveryDays: 90 },
    });
    // The fold remembers the stored event ids (decisions name them).
    expect(state.contacts[0].eventId).toBe(recorded[2].eventId);
    expect(verifyChain(recorded)).toEqual({ valid: true, eventCount: 5 });
    expect(await store.verify(stream)).toEqual({ valid: true, eventCount: 5 });
  });

  it('a v1 soft-exited stream stays open under v2: a follow-up is accepted, a closure is approved', async () => {
    const caseId = randomUUID();
    const stream = caseStreamId(caseId);
    await store.append(
      stream,
      [
        opened(caseId),
        enrolled(),
        contact('c-1', '2025-01-20'),
        v1(
          'CaseSoftExited',
          { exitDate: '2025-01-20', dueOn: '2025-04-20', detectedOn: '2025-04-21' },
          { staffId: 'system', role: 'admin', careerCenterId: 'system' },
        ),
      ],
      'no-stream',
    );
    const run = executor();
    // R17 v2: a qualifying contact is refused, a follow-up (R19) is accepted.
    await expect(
      run.execute({
        caseId,
        command: recordContact({ id: 'late', on: date('2025-05-30') }),
        actor: caseManager(),
        commandId: randomUUID(),
        correlationId: randomUUID(),
      }),
    ).rejects.toMatchObject({ ruleId: 'R17' });
    const followUp = await run.execute({
      caseId,
      command: recordContact({ id: 'fu', on: date('2025-05-30'), followUp: true }),
      actor: caseManager(),
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    expect(followUp.events.map((e) => e.type)).toEqual(['FollowUpContactRecorded']);
    await run.execute({
      caseId,
      command: {
        type: 'SuspendCase',
        data: { reason: 'NO_CONTACT_90_DAYS', details: 'Ceased participating.' },
      },
      actor: caseManager(),
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    const closed = await run.execute({
      caseId,
      command: { type: 'ApproveSuspension', data: {} },
      actor: supervisor(),
      commandId: randomUUID(),
      correlationId: randomUUID(),
    });
    const recorded = await store.readStream(stream);
    const exitEvent = recorded.find((e) => e.type === 'CaseSoftExited');
    expect(closed.events[0]).toMatchObject({
      type: 'CaseClosed',
      data: {
        exitDate: '2025-01-20',
        closedOn: '2025-06-02',
        softExit: { eventId: exitEvent?.eventId, exitDate: '2025-01-20' },
        rules: ['R14', 'R15', 'R16', 'R17'],
      },
    });
    expect(await store.verify(stream)).toEqual({ valid: true, eventCount: 7 });
    expect(foldRecorded(recorded)).toMatchObject({ status: 'CLOSED', exitDate: '2025-01-20' });
  });

  it('a repeated command on a v1 stream answers with its events upcast to the current schema', async () => {
    const caseId = randomUUID();
    const first = opened(caseId);
    await store.append(caseStreamId(caseId), [first, enrolled()], 'no-stream');
    const again = await executor().execute({
      caseId,
      command: {
        type: 'OpenCase',
        data: first.data as Extract<CaseCommand, { type: 'OpenCase' }>['data'],
      },
      actor: caseManager(),
      commandId: first.metadata.commandId,
      correlationId: randomUUID(),
    });
    expect(again.repeated).toBe(true);
    expect(again.revision).toBe(0);
    // The v1 terms come back as v2 terms (policy id, version, R20 follow-up), as a fold sees them.
    expect(again.events).toHaveLength(1);
    expect(again.events[0]).toMatchObject({
      type: 'CaseOpened',
      data: { policy: { policyId: 'MO-DEFAULT', version: 1, followUpMonths: 12 } },
    });
    expect(await store.readStream(caseStreamId(caseId))).toHaveLength(2);
  });
});
