import { addDays, type BusinessDate } from '@caseledger/domain';
import { FixedClock } from '@caseledger/platform';
import { expectResult } from '@caseledger/testing';
import { forEachLimit } from './concurrency';
import { deadlineJobId } from './deadline-kind';
import type { SweepReport } from './deadline-sweep';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';
import {
  deadlineSpec,
  reactorStarted,
  redisLost,
  swept,
  workerStarted,
  type DeadlineExpectation,
  type DeadlineStep,
} from './testing/deadline-specification';

/**
 * DESIGN.md "Deadlines are derived, timers are hints": losing every job in Redis
 * loses no soft exit, because one sweep re-derives them from the caseload.
 */
describe('deadline sweep after Redis lost everything', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  const clock = new FixedClock(new Date('2025-06-16T17:00:00Z'));
  const spec = deadlineSpec(() => h);

  beforeAll(async () => {
    base = await DeadlineDatabase.create('sweep');
    h = new DeadlineHarness(base, clock);
  });
  afterAll(async () => {
    await h.close();
    await base.close();
  });

  it('R8/R17: with 1,000 open cases (some due), one sweep exits every due case exactly once and requeues every open deadline', async () => {
    const due: string[] = [];
    const open: string[] = [];
    const thousandCasesOpened: DeadlineStep = (w) =>
      forEachLimit(
        Array.from({ length: 1000 }, (_, i) => i),
        16,
        async (i) => {
          // Every fourth case went 100 days without a contact; the rest opened 1–80 days ago.
          const isDue = i % 4 === 0;
          const caseId = await w.openCase(w.daysAgo(isDue ? 100 : 1 + (i % 80)));
          (isDue ? due : open).push(caseId);
        },
      );
    // The reactor has scheduled every case (polled: it follows the store's subscription).
    const everyCaseScheduled: DeadlineStep = (w) =>
      eventually(async () =>
        (await w.queue.getJobCountByTypes('delayed', 'waiting')) === 1000 ? true : undefined,
      );
    /** The worker has run every due job; only the open cases' deadlines wait. */
    const workerDrained: DeadlineStep = (w) =>
      eventually(async () =>
        (await w.queue.getJobCountByTypes('waiting', 'active')) === 0 &&
        (await w.queue.getJobCountByTypes('delayed')) === open.length
          ? true
          : undefined,
      );
    const sweepFound =
      (label: string, cases: number, added: number): DeadlineExpectation =>
      (outcome) =>
        expectResult<SweepReport>(label, (report) => {
          expect(report.cases).toBe(cases);
          expect(report.actions.added).toBe(added);
        })(outcome);

    // FLUSHALL, as far as this test's queues go (other test files share the server).
    const lost = await spec
      .given(reactorStarted(), thousandCasesOpened, everyCaseScheduled)
      .when(redisLost('lost'))
      .then(
        expectResult<number>('lost', (keys) => expect(keys).toBeGreaterThan(0)),
        async ({ world: w }) =>
          expect(await w.queue.getJobCountByTypes('delayed', 'waiting', 'active')).toBe(0),
      );
    const requeued = await lost.when(swept('report')).then(sweepFound('report', 1000, 1000));
    const fired = await requeued.when(workerStarted({ concurrency: 16 }), workerDrained).then(
      async ({ world: w }) =>
        forEachLimit(due, 16, async (caseId) => {
          const exits = await w.softExits(caseId);
          expect(exits).toHaveLength(1);
          expect(exits[0].data).toMatchObject({ exitDate: w.daysAgo(100) });
        }),
      async ({ world: w }) =>
        forEachLimit(open, 16, async (caseId) => {
          expect(await w.softExits(caseId)).toHaveLength(0);
          const job = await w.queue.getJob(deadlineJobId('soft-exit', caseId));
          const opened = (await w.events(caseId))[0].data as { openedOn: BusinessDate };
          expect(job?.data.dueOn).toBe(addDays(opened.openedOn, 90));
        }),
      async ({ world: w }) => expect(await w.queue.getJobCountByTypes('failed')).toBe(0),
    );
    // A second sweep finds nothing missing: sweeping is idempotent.
    // R17 v2: soft-exited cases stay open (for their follow-up), so the sweep still reads them.
    await fired.when(swept('again')).then(sweepFound('again', 1000, 0));
  });
});
