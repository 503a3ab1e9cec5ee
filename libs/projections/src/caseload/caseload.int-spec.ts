import { date } from '@caseledger/domain/testing';
import { randomUUID } from 'node:crypto';
import { as, expectResult, expectThat, type Step } from '@caseledger/testing';
import { readCheckpoint } from '../checkpoints';
import { Projector } from '../projector';
import type { Projection } from '../projection';
import { rebuildProjection, type RebuildResult } from '../rebuild';
import type { ComplianceReport } from '../compliance/compliance.queries';
import {
  appendToCase,
  lastAppendedPosition,
  backendPerFile,
  readAllThroughLastAppend,
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
  outreachSent,
} from '../testing/case-events';
import {
  appended,
  batchApplied,
  batchAppliedPastCheckpoint,
  calendarAt,
  caseloadIntSpec,
  complianceQueried,
  expectCaseload,
  expectCheckpointOf,
  expectListed,
  expectRebuildGivesSameTable,
  expectRow,
  expectRowsAsStoreFolds,
  expectTableUnchanged,
  projectorRuns,
  readAll,
  rebuilt,
  seeded,
  type CaseloadWorld,
} from '../testing/caseload.int-specification';
import type { BatchResult } from '../projector';
import { queryCaseload } from './caseload.queries';
import { caseloadProjection } from './caseload.read-model';
import { CaseloadRebuildFolder } from './caseload.rebuild-folder';

describe.each<BackendKind>(['postgres', 'pglite'])('caseload projection on %s', (kind) => {
  const b = backendPerFile(kind, 'caseload');
  const spec = caseloadIntSpec(() => b);

  it("R8/R9: the row carries the decider's deadlines and contactOverdue follows today in the area zone", async () => {
    const id = randomUUID();
    const onDue = '2024-03-20T16:00:00Z';
    await spec
      .given(
        appended(
          id,
          caseOpened(id, '2024-01-10', { caseManagerId: 'cm-7' }),
          contactRecorded('2024-01-20'),
        ),
      )
      .when(projectorRuns())
      .then(
        expectRow(
          onDue,
          { caseManagerId: 'cm-7' },
          {
            caseId: id,
            contactDueOn: date('2024-03-20'),
            softExitDueOn: date('2024-04-19'),
            contactOverdue: false,
          },
        ),
        // 2024-03-21 03:00Z is still 2024-03-20 in Boston: not overdue yet.
        expectCaseload(
          '2024-03-21T03:00:00Z',
          { caseManagerId: 'cm-7', page: 1, pageSize: 10 },
          (page) => expect(page.cases[0]?.contactOverdue).toBe(false),
        ),
        expectListed('2024-03-21T16:00:00Z', { overdue: true }, [id]),
        expectThat<CaseloadWorld>(async ({ b }) => {
          const on = await queryCaseload(b.sql, calendarAt(onDue), {
            caseManagerId: 'cm-7',
            page: 1,
            pageSize: 10,
          });
          const after = await queryCaseload(b.sql, calendarAt('2024-03-21T16:00:00Z'), {
            overdue: true,
            page: 1,
            pageSize: 10,
          });
          expect(after.freshness.position).toBe(on.cases[0]?.position);
        }),
      );
  });

  it('exactly once (thenNotUpdated): a replayed batch, even past the checkpoint guard, changes no row', async () => {
    const id = randomUUID();
    await spec
      .given(
        appended(
          id,
          caseOpened(id, '2024-01-10'),
          outreachSent('2024-01-11'),
          contactRecorded('2024-01-20'),
        ),
        readAll('events'),
        batchApplied('first', 'events'),
      )
      // Then bypass the checkpoint: each row's own position still refuses the old events.
      .when(batchApplied('again', 'events'), batchAppliedPastCheckpoint('bypass', 'events'))
      .then(
        expectResult<BatchResult>('first', (first) => expect(first.applied).toBe(3)),
        expectResult<BatchResult>('again', (again) =>
          expect(again).toMatchObject({ applied: 0, rowsWritten: 0 }),
        ),
        expectResult<number>('bypass', (rowsWritten) => expect(rowsWritten).toBe(0)),
        expectTableUnchanged(),
        expectCheckpointOf('first'),
      );
  });

  it('R12: a transfer moves the case from one caseload to the other', async () => {
    const id = randomUUID();
    const from = {
      careerCenterId: 'cc-boston',
      localAreaId: 'MA-DEFAULT',
      caseManagerId: 'cm-from',
    };
    const to = { careerCenterId: 'cc-lowell', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-to' };
    const at = '2024-02-01T12:00:00Z';
    const opened = await spec
      .given(appended(id, caseOpened(id, '2024-01-10', from)))
      .when(projectorRuns())
      .then(expectListed(at, { caseManagerId: 'cm-from' }, [id]));
    await opened
      .when(appended(id, caseTransferred('2024-01-20', from, to)), projectorRuns())
      .then(
        expectListed(at, { caseManagerId: 'cm-from' }, []),
        expectRow(
          at,
          { caseManagerId: 'cm-to' },
          { caseId: id, caseManagerId: 'cm-to', careerCenterId: 'cc-lowell' },
        ),
      );
  });

  it('crash between batches: a projector that dies mid-run and resumes gives exactly the table a full rebuild gives', async () => {
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
    const projectorDies: Step<CaseloadWorld> = async ({ b }) => {
      const dying = new Projector(b.sql, b.store, crashing, {
        batchSize: 20,
        retryDelayMs: 60_000,
      });
      await dying.start();
      while (dying.error === undefined) await new Promise((r) => setTimeout(r, 10));
      await dying.stop();
    };
    const died = await spec
      .given(seeded(30))
      .when(projectorDies)
      .then(async ({ world: { b } }) => {
        const stoppedAt = await readCheckpoint(b.sql, 'caseload');
        expect(stoppedAt.commit > 0n || stoppedAt.prepare > 0n).toBe(true);
        expect(stoppedAt).not.toEqual(lastAppendedPosition(b.store));
      });
    await died.when(projectorRuns(caseloadProjection, 20)).then(
      expectRebuildGivesSameTable(caseloadProjection, { batchSize: 37 }, (result) =>
        expect(result.rows).toBe(30),
      ),
      expectRowsAsStoreFolds(),
    );
  });

  it('rebuild: the in-memory fold, with rows dropped from memory and read back, builds the table the batch path builds', async () => {
    // Keeps at most 3 rows in memory: most cases are read back from the shadow between pages.
    const forgetful: Projection = {
      ...caseloadProjection,
      rebuildFolder: (sql, table) => new CaseloadRebuildFolder(sql, table, 3),
    };
    const batchOnly: Projection = { ...caseloadProjection, rebuildFolder: undefined };
    await spec
      // Read-all (and so a rebuild) stops below writes in flight anywhere on the server.
      .given(seeded(25), ({ b }) => readAllThroughLastAppend(b.store))
      .when(rebuilt('folded', forgetful, { batchSize: 7, flushEvents: 14 }))
      .then(
        expectResult<RebuildResult>('folded', (folded) => expect(folded.rows).toBe(25)),
        expectRebuildGivesSameTable(batchOnly, { batchSize: 7 }, (batched, outcome) =>
          expect(batched.events).toBe(outcome.result<RebuildResult>('folded').events),
        ),
        expectRowsAsStoreFolds(),
      );
  });

  it('rebuild without downtime: commands keep arriving during the rebuild and the swapped table ends consistent', async () => {
    let written = 0;
    const servedDuring: number[] = [];
    /** A rebuild while a live projector serves the table and a writer keeps appending. */
    const rebuiltUnderLoad: Step<CaseloadWorld> = async ({ b, cases: ids }) => {
      const live = new Projector(b.sql, b.store, caseloadProjection, {
        batchSize: 25,
        retryDelayMs: 10,
      });
      await live.start();
      // The live table serves all 20 cases before the rebuild starts.
      await live.waitUntilCaughtUp(lastAppendedPosition(b.store));
      let writing = true;
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
      return result;
    };
    await spec
      .given(seeded(20))
      .when(as('rebuild', rebuiltUnderLoad))
      .then(
        () => expect(written).toBeGreaterThan(0),
        () => expect(servedDuring.length).toBeGreaterThan(0),
        () => expect(servedDuring.every((n) => n >= 20)).toBe(true),
        expectResult<RebuildResult>('rebuild', (result) =>
          expect(result.rows).toBeGreaterThanOrEqual(20),
        ),
        expectRowsAsStoreFolds(),
      );
  });

  it('compliance: soft exits not fired, R9 overdue per area, stale suspensions, R19 closures without follow-up, R11 barriers without a plan', async () => {
    const [stale, suspended, employed, noPlan, fresh] = Array.from({ length: 5 }, () =>
      randomUUID(),
    ) as [string, string, string, string, string];
    const at = '2024-05-01T15:00:00Z';
    await spec
      .given(
        appended(stale, caseOpened(stale, '2024-01-01')),
        appended(suspended, caseOpened(suspended, '2024-02-01'), caseSuspended('2024-03-01')),
        appended(
          employed,
          caseOpened(employed, '2024-02-01'),
          employmentRecorded('2024-03-01', '2024-03-31'),
          caseClosed('2024-04-15', 'EMPLOYMENT_ATTAINED'),
        ),
        appended(
          noPlan,
          caseOpened(noPlan, '2024-04-25'),
          barrierIdentified('2024-04-26', 'bar-x', ''),
        ),
        appended(fresh, caseOpened(fresh, '2024-04-20')),
        projectorRuns(),
      )
      .when(
        complianceQueried('report', at),
        complianceQueried('windowed', at, { from: '2024-04-01', to: '2024-04-30' }),
      )
      .then(
        expectResult<ComplianceReport>('report', (report) => {
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
        }),
        expectResult<ComplianceReport>('windowed', (windowed) => {
          expect(windowed.softExitOverdue.count).toBe(0);
          expect(windowed.employmentClosuresWithoutFollowUp.count).toBe(1);
        }),
      );
  });
});
