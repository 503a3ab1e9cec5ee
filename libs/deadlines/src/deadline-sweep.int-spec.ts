import { addDays } from '@caseledger/domain';
import { FixedClock } from '@caseledger/platform';
import { forEachLimit } from './concurrency';
import { deadlineJobId } from './deadline-kind';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';

/**
 * DESIGN.md "Deadlines are derived, timers are hints": losing every job in Redis
 * loses no soft exit, because one sweep re-derives them from the caseload.
 */
describe('deadline sweep after Redis lost everything', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  const clock = new FixedClock(new Date('2025-06-16T17:00:00Z'));

  beforeAll(async () => {
    base = await DeadlineDatabase.create('sweep');
    h = new DeadlineHarness(base, clock);
  });
  afterAll(async () => {
    await h.close();
    await base.close();
  });

  it('R8/R17: with 1,000 open cases (some due), one sweep exits every due case exactly once and requeues every open deadline', async () => {
    await h.startReactorAtHead();
    const due: string[] = [];
    const open: string[] = [];
    await forEachLimit(
      Array.from({ length: 1000 }, (_, i) => i),
      16,
      async (i) => {
        // Every fourth case went 100 days without a contact; the rest opened 1–80 days ago.
        const isDue = i % 4 === 0;
        const caseId = await h.openCase(h.daysAgo(isDue ? 100 : 1 + (i % 80)));
        (isDue ? due : open).push(caseId);
      },
    );
    // The reactor has scheduled every case (polled: it follows the store's subscription).
    await eventually(async () =>
      (await h.queue.getJobCountByTypes('delayed', 'waiting')) === 1000 ? true : undefined,
    );

    // FLUSHALL, as far as this test's queues go (other test files share the server).
    expect(await h.loseRedis()).toBeGreaterThan(0);
    expect(await h.queue.getJobCountByTypes('delayed', 'waiting', 'active')).toBe(0);

    await h.catchUpCaseload();
    const report = await h.sweep();
    expect(report.cases).toBe(1000);
    expect(report.actions.added).toBe(1000);

    h.startWorker({ concurrency: 16 });
    await eventually(async () =>
      (await h.queue.getJobCountByTypes('waiting', 'active')) === 0 &&
      (await h.queue.getJobCountByTypes('delayed')) === open.length
        ? true
        : undefined,
    );
    await forEachLimit(due, 16, async (caseId) => {
      const exits = await h.softExits(caseId);
      expect(exits).toHaveLength(1);
      expect(exits[0].data).toMatchObject({ exitDate: h.daysAgo(100) });
    });
    await forEachLimit(open, 16, async (caseId) => {
      expect(await h.softExits(caseId)).toHaveLength(0);
      const job = await h.queue.getJob(deadlineJobId('soft-exit', caseId));
      const opened = (await h.events(caseId))[0].data as { openedOn: string };
      expect(job?.data.dueOn).toBe(addDays(opened.openedOn, 90));
    });
    expect(await h.queue.getJobCountByTypes('failed')).toBe(0);

    // A second sweep finds nothing missing: sweeping is idempotent.
    await h.catchUpCaseload();
    const again = await h.sweep();
    // R17 v2: soft-exited cases stay open (for their follow-up), so the sweep still reads them.
    expect(again.cases).toBe(1000);
    expect(again.actions.added).toBe(0);
  });
});
