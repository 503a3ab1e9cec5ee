import { ParkedEvents, retryParkedEvents, type RetryReport } from '@caseledger/event-store';
import { FixedClock } from '@caseledger/platform';
import { as, expectResult, expectThat } from '@caseledger/testing';
import { DeadlineReactor } from './deadline-reactor';
import { DeadlineDatabase, DeadlineHarness, eventually } from './testing/deadline-harness';
import {
  caseIdOf,
  deadlineSpec,
  expectJobScheduled,
  expectNoJob,
  opened,
} from './testing/deadline-specification';

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
  const spec = deadlineSpec(() => h);

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
    const parkingReactorStarted = async () => {
      const head = await base.store.headPosition();
      if (head) await h.checkpoints.save(name, head);
      reactor.start();
    };
    try {
      const parkedOne = await spec
        .given(parkingReactorStarted)
        .when(opened('poisoned', 10, { localAreaId: 'MA-DEFAULT' }), opened('healthy', 10))
        .then(
          expectJobScheduled('soft-exit', 'healthy'),
          expectThat<DeadlineHarness>(async (w) => {
            const rows = await eventually(async () => {
              const list = await parked.list({ consumer: name });
              return list.length > 0 ? list : undefined;
            });
            expect(rows.map((r) => [r.streamId, r.eventType])).toEqual([
              [`case-${caseIdOf(w, 'poisoned')}`, 'CaseOpened'],
            ]);
            expect(rows[0].error).toContain('no such time zone');
          }),
          expectNoJob('soft-exit', 'poisoned', { now: true }),
        );
      // Still live for the others.
      const stillLive = await parkedOne
        .when(opened('later', 5))
        .then(expectJobScheduled('soft-exit', 'later'));
      await stillLive
        .given(() => {
          broken = false;
        })
        .when(as('retry', () => retryParkedEvents(parked, [reactor.retrier()], { consumer: name })))
        .then(
          expectResult<RetryReport>('retry', (report) =>
            expect(report).toEqual({ applied: 1, failed: [], unknownConsumers: [] }),
          ),
          expectJobScheduled('soft-exit', 'poisoned', { now: true }),
          async () => expect(await parked.list({ consumer: name })).toEqual([]),
        );
    } finally {
      await reactor.stop();
    }
  });
});
