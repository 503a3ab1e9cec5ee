import { randomUUID } from 'node:crypto';
import { createPolicyBook, type CaseEvent } from '@caseledger/domain';
import { areaCalendar } from '../area-calendar';
import { readCheckpoint } from '../checkpoints';
import { applyProjectionBatch, Projector } from '../projector';
import type { Projection } from '../projection';
import { rebuildProjection } from '../rebuild';
import { queryCompliance } from '../compliance/compliance.queries';
import {
  appendToCase,
  lastAppendedPosition,
  openBackend,
  readAllThroughLastAppend,
  type Backend,
  type BackendKind,
} from '../testing/backends';
import {
  barrierIdentified,
  caseClosed,
  caseOpened,
  caseSuspended,
  caseTransferred,
  contactRecorded,
  employmentRecorded,
  noAnswer,
  outreachSent,
} from '../testing/case-events';
import { actualRows, expectedRowsFromStore, snapshotTable } from '../testing/snapshots';
import { caseloadProjection } from './caseload.read-model';
import { CaseloadRebuildFolder } from './caseload.rebuild-folder';
import { queryCaseload } from './caseload.queries';

const policies = createPolicyBook();
const calendarAt = (iso: string) => areaCalendar(policies, new Date(iso));

/** Some history per case: contacts, attempts, outreach, barriers; a few transfers and closures. */
function historyOf(caseId: string, i: number): CaseEvent[] {
  const day = (n: number) => `2024-0${1 + (n % 8)}-${String(10 + (n % 15)).padStart(2, '0')}`;
  const events: CaseEvent[] = [caseOpened(caseId, '2024-01-02', { caseManagerId: `cm-${i % 3}` })];
  for (let k = 0; k < 3 + (i % 4); k++) {
    const on = day(k + i);
    const kind = (i + k) % 4;
    if (kind === 0) events.push(contactRecorded(on));
    if (kind === 1) events.push(noAnswer(on));
    if (kind === 2) events.push(outreachSent(on));
    if (kind === 3) events.push(barrierIdentified(on));
  }
  if (i % 5 === 0) {
    const from = {
      careerCenterId: 'cc-boston',
      localAreaId: 'MA-DEFAULT',
      caseManagerId: `cm-${i % 3}`,
    };
    events.push(
      caseTransferred('2024-09-01', from, {
        ...from,
        caseManagerId: 'cm-9',
        careerCenterId: 'cc-lowell',
      }),
    );
  }
  if (i % 7 === 0) events.push(caseSuspended('2024-09-02'));
  return events;
}

/** Appends the histories interleaved across cases, one event per append, like live traffic. */
async function seed(b: Backend, cases: number): Promise<string[]> {
  const ids = Array.from({ length: cases }, () => randomUUID());
  const histories = ids.map((id, i) => historyOf(id, i));
  const longest = Math.max(...histories.map((h) => h.length));
  for (let k = 0; k < longest; k++) {
    const appends: Array<Promise<unknown>> = [];
    ids.forEach((id, i) => {
      const event = histories[i]?.[k];
      if (event) appends.push(appendToCase(b.store, id, event));
    });
    await Promise.all(appends);
  }
  return ids;
}

async function runToHead(b: Backend, projection: Projection = caseloadProjection, batchSize = 50) {
  const projector = new Projector(b.sql, b.store, projection, { batchSize, retryDelayMs: 10 });
  await projector.start();
  await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
  await projector.stop();
}

describe.each<BackendKind>(['postgres', 'pglite'])('caseload projection on %s', (kind) => {
  let b: Backend;
  beforeEach(async () => {
    b = await openBackend(kind, 'caseload');
  });
  afterEach(async () => {
    await b.close();
  });

  it("R8/R9: the row carries the decider's deadlines and contactOverdue follows today in the area zone", async () => {
    const id = randomUUID();
    await appendToCase(
      b.store,
      id,
      caseOpened(id, '2024-01-10', { caseManagerId: 'cm-7' }),
      contactRecorded('2024-01-20'),
    );
    await runToHead(b);
    const onDue = await queryCaseload(b.sql, calendarAt('2024-03-20T16:00:00Z'), {
      caseManagerId: 'cm-7',
      page: 1,
      pageSize: 10,
    });
    expect(onDue.cases).toEqual([
      expect.objectContaining({
        caseId: id,
        contactDueOn: '2024-03-20',
        softExitDueOn: '2024-04-19',
        contactOverdue: false,
      }),
    ]);
    // 2024-03-21 03:00Z is still 2024-03-20 in Boston: not overdue yet.
    const lateUtc = await queryCaseload(b.sql, calendarAt('2024-03-21T03:00:00Z'), {
      caseManagerId: 'cm-7',
      page: 1,
      pageSize: 10,
    });
    expect(lateUtc.cases[0]?.contactOverdue).toBe(false);
    const after = await queryCaseload(b.sql, calendarAt('2024-03-21T16:00:00Z'), {
      overdue: true,
      page: 1,
      pageSize: 10,
    });
    expect(after.cases.map((c) => c.caseId)).toEqual([id]);
    expect(after.freshness.position).toBe(onDue.cases[0]?.position);
  });

  it('exactly once (thenNotUpdated): a replayed batch, even past the checkpoint guard, changes no row', async () => {
    const id = randomUUID();
    await appendToCase(
      b.store,
      id,
      caseOpened(id, '2024-01-10'),
      outreachSent('2024-01-11'),
      contactRecorded('2024-01-20'),
    );
    const events = await readAllThroughLastAppend(b.store, 100);
    const first = await applyProjectionBatch(b.sql, caseloadProjection, 'caseload', events);
    expect(first.applied).toBe(3);
    const before = await snapshotTable(b.sql);
    const again = await applyProjectionBatch(b.sql, caseloadProjection, 'caseload', events);
    expect(again).toMatchObject({ applied: 0, rowsWritten: 0 });
    // Bypass the checkpoint: each row's own position still refuses the old events.
    const rowsWritten = await b.sql.transaction((tx) =>
      caseloadProjection.applyBatch(tx, 'caseload', events),
    );
    expect(rowsWritten).toBe(0);
    expect(await snapshotTable(b.sql)).toEqual(before);
    expect(await readCheckpoint(b.sql, 'caseload')).toEqual(first.position);
  });

  it('R12: a transfer moves the case from one caseload to the other', async () => {
    const id = randomUUID();
    const from = {
      careerCenterId: 'cc-boston',
      localAreaId: 'MA-DEFAULT',
      caseManagerId: 'cm-from',
    };
    const to = { careerCenterId: 'cc-lowell', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-to' };
    await appendToCase(b.store, id, caseOpened(id, '2024-01-10', from));
    await runToHead(b);
    const calendar = calendarAt('2024-02-01T12:00:00Z');
    const list = (cm: string) =>
      queryCaseload(b.sql, calendar, { caseManagerId: cm, page: 1, pageSize: 10 });
    expect((await list('cm-from')).cases.map((c) => c.caseId)).toEqual([id]);
    await appendToCase(b.store, id, caseTransferred('2024-01-20', from, to));
    await runToHead(b);
    expect((await list('cm-from')).cases).toEqual([]);
    expect((await list('cm-to')).cases).toEqual([
      expect.objectContaining({ caseId: id, caseManagerId: 'cm-to', careerCenterId: 'cc-lowell' }),
    ]);
  });

  it('crash between batches: a projector that dies mid-run and resumes gives exactly the table a full rebuild gives', async () => {
    await seed(b, 30);
    let batches = 0;
    // Writes its rows, then dies inside the 5th batch's transaction: that batch rolls back.
    const crashing: Projection = {
      ...caseloadProjection,
      async applyBatch(tx, table, events) {
        const written = await caseloadProjection.applyBatch(tx, table, events);
        if (++batches === 5) throw new Error('projector killed mid-run');
        return written;
      },
    };
    const dying = new Projector(b.sql, b.store, crashing, { batchSize: 20, retryDelayMs: 60_000 });
    await dying.start();
    while (dying.error === undefined) await new Promise((r) => setTimeout(r, 10));
    await dying.stop();
    const stoppedAt = await readCheckpoint(b.sql, 'caseload');
    const head = lastAppendedPosition(b.store);
    expect(stoppedAt.commit > 0n || stoppedAt.prepare > 0n).toBe(true);
    expect(stoppedAt).not.toEqual(head);

    await runToHead(b, caseloadProjection, 20);
    const resumed = await snapshotTable(b.sql);
    const result = await rebuildProjection(b.sql, b.store, caseloadProjection, { batchSize: 37 });
    expect(result.rows).toBe(30);
    expect(await snapshotTable(b.sql)).toEqual(resumed);
    expect(await actualRows(b.sql)).toEqual(
      await expectedRowsFromStore(b.store, lastAppendedPosition(b.store)),
    );
  });

  it('rebuild: the in-memory fold, with rows dropped from memory and read back, builds the table the batch path builds', async () => {
    await seed(b, 25);
    const head = lastAppendedPosition(b.store);
    // Read-all (and so a rebuild) stops below writes in flight anywhere on the server.
    await readAllThroughLastAppend(b.store);
    // Keeps at most 3 rows in memory: most cases are read back from the shadow between pages.
    const forgetful: Projection = {
      ...caseloadProjection,
      rebuildFolder: (sql, table) => new CaseloadRebuildFolder(sql, table, 3),
    };
    const folded = await rebuildProjection(b.sql, b.store, forgetful, {
      batchSize: 7,
      flushEvents: 14,
    });
    const byFolding = await snapshotTable(b.sql);
    const batchOnly: Projection = { ...caseloadProjection, rebuildFolder: undefined };
    const batched = await rebuildProjection(b.sql, b.store, batchOnly, { batchSize: 7 });
    expect(folded.rows).toBe(25);
    expect(batched.events).toBe(folded.events);
    expect(await snapshotTable(b.sql)).toEqual(byFolding);
    expect(await actualRows(b.sql)).toEqual(await expectedRowsFromStore(b.store, head));
  });

  it('rebuild without downtime: commands keep arriving during the rebuild and the swapped table ends consistent', async () => {
    const ids = await seed(b, 20);
    const live = new Projector(b.sql, b.store, caseloadProjection, {
      batchSize: 25,
      retryDelayMs: 10,
    });
    await live.start();
    // The live table serves all 20 cases before the rebuild starts.
    await live.waitUntilCaughtUp(lastAppendedPosition(b.store));
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const id = ids[written % ids.length];
        await appendToCase(
          b.store,
          id,
          written % 2 ? contactRecorded('2024-10-01') : barrierIdentified('2024-10-02'),
        );
        written++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const servedDuring: number[] = [];
    const result = await rebuildProjection(b.sql, b.store, caseloadProjection, {
      batchSize: 40,
      onProgress: () => undefined,
      beforeSwap: async () => {
        // The live table keeps answering while the shadow is built.
        const page = await queryCaseload(b.sql, calendarAt('2024-11-01T12:00:00Z'), {
          page: 1,
          pageSize: 500,
        });
        servedDuring.push(page.total);
        const extra = randomUUID();
        await appendToCase(b.store, extra, caseOpened(extra, '2024-10-03'));
      },
    });
    writing = false;
    await writer;
    await live.waitUntilCaughtUp(lastAppendedPosition(b.store));
    await live.stop();
    expect(written).toBeGreaterThan(0);
    expect(servedDuring.length).toBeGreaterThan(0);
    expect(servedDuring.every((n) => n >= 20)).toBe(true);
    expect(result.rows).toBeGreaterThanOrEqual(20);
    expect(await actualRows(b.sql)).toEqual(
      await expectedRowsFromStore(b.store, lastAppendedPosition(b.store)),
    );
  });

  it('compliance: soft exits not fired, R9 overdue per area, stale suspensions, R19 closures without follow-up, R11 barriers without a plan', async () => {
    const [stale, suspended, employed, noPlan, fresh] = Array.from({ length: 5 }, () =>
      randomUUID(),
    ) as [string, string, string, string, string];
    await appendToCase(b.store, stale, caseOpened(stale, '2024-01-01'));
    await appendToCase(
      b.store,
      suspended,
      caseOpened(suspended, '2024-02-01'),
      caseSuspended('2024-03-01'),
    );
    await appendToCase(
      b.store,
      employed,
      caseOpened(employed, '2024-02-01'),
      employmentRecorded('2024-03-01', '2024-03-31'),
      caseClosed('2024-04-15', 'EMPLOYMENT_ATTAINED'),
    );
    await appendToCase(
      b.store,
      noPlan,
      caseOpened(noPlan, '2024-04-25'),
      barrierIdentified('2024-04-26', 'bar-x', ''),
    );
    await appendToCase(b.store, fresh, caseOpened(fresh, '2024-04-20'));
    await runToHead(b);
    const report = await queryCompliance(b.sql, calendarAt('2024-05-01T15:00:00Z'));
    expect(report.softExitOverdue.cases.map((c) => c.caseId)).toEqual([stale]);
    expect(report.softExitOverdue.cases[0]).toMatchObject({
      softExitDueOn: '2024-03-31',
      daysPast: 31,
    });
    // R16 v2: a pending suspension pauses nothing, so the suspended case is overdue too.
    expect(report.contactOverdueByArea).toEqual([
      expect.objectContaining({
        localAreaId: 'MA-DEFAULT',
        today: '2024-05-01',
        count: 2,
        cases: [
          expect.objectContaining({ caseId: stale }),
          expect.objectContaining({ caseId: suspended }),
        ],
      }),
    ]);
    expect(report.suspensionsAwaitingReview.cases).toEqual([
      expect.objectContaining({
        caseId: suspended,
        suspendedSince: '2024-03-01',
        daysAwaiting: 61,
        limitDays: 30,
      }),
    ]);
    expect(report.employmentClosuresWithoutFollowUp.cases).toEqual([
      expect.objectContaining({
        caseId: employed,
        closedOn: '2024-04-15',
        employmentStartDate: '2024-03-01',
      }),
    ]);
    expect(report.barriersWithoutPlan.cases).toEqual([
      expect.objectContaining({ caseId: noPlan, barrierIds: ['bar-x'] }),
    ]);
    const windowed = await queryCompliance(b.sql, calendarAt('2024-05-01T15:00:00Z'), {
      from: '2024-04-01',
      to: '2024-04-30',
    });
    expect(windowed.softExitOverdue.count).toBe(0);
    expect(windowed.employmentClosuresWithoutFollowUp.count).toBe(1);
  });
});
