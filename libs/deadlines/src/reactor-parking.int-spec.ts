import { ParkedEvents, retryParkedEvents } from '@caseledger/event-store';
import { FixedClock } from '@caseledger/platform';
import { deadlineJobId } from './deadline-kind';
import { DeadlineReactor } from './deadline-reactor';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';

/**
 * The deadline reactor parks a case whose stream it cannot turn into
 * deadlines and keeps scheduling every other case; once the cause is fixed,
 * a retry reconciles the parked case's jobs from its whole stream.
 */
describe('deadline reactor parking', () => {
  let base: DeadlineDatabase;
  let h: DeadlineHarness;
  let parked: ParkedEvents;
  const clock = new FixedClock(new Date('2025-06-16T17:00:00Z'));

  beforeAll(async () => {
    base = await DeadlineDatabase.create('reactor_parking');
    h = new DeadlineHarness(base, clock);
    parked = new ParkedEvents(base.sql);
    await parked.migrate();
  });
  afterAll(async () => {
    await h.close();
    await base.close();
  });

  it('parks the case it cannot derive, schedules the others, and a retry after the fix schedules it', async () => {
    // The deadline arithmetic throws for one area until "the fix is deployed".
    let broken = true;
    const name = `parking-${h.prefix}`;
    const reactor = new DeadlineReactor(
      base.store,
      h.checkpoints,
      h.scheduler,
      (area) => {
        if (broken && area === 'MA-DEFAULT') throw new RangeError('no such time zone');
        return h.timeZoneOf(area);
      },
      { name, retryDelayMs: 50, parking: { parked, sql: base.sql } },
    );
    const head = await base.store.headPosition();
    if (head) await h.checkpoints.save(name, head);
    reactor.start();
    try {
      const poisoned = await h.openCase(h.daysAgo(10), { localAreaId: 'MA-DEFAULT' });
      const healthy = await h.openCase(h.daysAgo(10));
      await eventually(() => h.queue.getJob(deadlineJobId('soft-exit', healthy)));
      const rows = await eventually(async () => {
        const list = await parked.list({ consumer: name });
        return list.length > 0 ? list : undefined;
      });
      expect(rows.map((r) => [r.streamId, r.eventType])).toEqual([
        [`case-${poisoned}`, 'CaseOpened'],
      ]);
      expect(rows[0].error).toContain('no such time zone');
      expect(await h.queue.getJob(deadlineJobId('soft-exit', poisoned))).toBeUndefined();

      // Still live for the others.
      const later = await h.openCase(h.daysAgo(5));
      await eventually(() => h.queue.getJob(deadlineJobId('soft-exit', later)));

      broken = false;
      const report = await retryParkedEvents(parked, [reactor.retrier()], { consumer: name });
      expect(report).toEqual({ applied: 1, failed: [], unknownConsumers: [] });
      expect(await h.queue.getJob(deadlineJobId('soft-exit', poisoned))).toBeDefined();
      expect(await parked.list({ consumer: name })).toEqual([]);
    } finally {
      await reactor.stop();
    }
  });
});
