import { ParkedEvents, retryParkedEvents, type RecordedEvent } from '@caseledger/event-store';
import { randomUUID } from 'node:crypto';
import { caseloadProjection } from './caseload/caseload.read-model';
import { loadCaseloadEntries } from './caseload/caseload.store';
import type { Projection } from './projection';
import { Projector, projectionRetrier, skippingParked } from './projector';
import { rebuildProjection } from './rebuild';
import {
  appendToCase,
  lastAppendedPosition,
  openBackend,
  readAllThroughLastAppend,
  type Backend,
  type BackendKind,
} from './testing/backends';
import { barrierIdentified, caseOpened, contactRecorded } from './testing/case-events';

/**
 * A projector with parking never stops on an event it cannot apply: the event
 * is parked with its error, the stream's later events are parked behind it
 * (never applied out of order), every other case keeps updating, and a retry
 * once the cause is fixed applies the parked events in order.
 */
describe.each<BackendKind>(['postgres', 'pglite'])('projector parking (%s)', (kind) => {
  let b: Backend;
  let parked: ParkedEvents;
  let fixed = false;
  // Throws on the poisoned barrier until "a fix is deployed" (fixed = true).
  const fragile: Projection = {
    ...caseloadProjection,
    // Rebuilds take the batch path too, so they meet the poison.
    rebuildFolder: undefined,
    async applyBatch(tx, table, events, cache) {
      if (
        !fixed &&
        events.some((e: RecordedEvent) => (e.data as { plan?: string }).plan === 'poison')
      )
        throw new RangeError('not a business date (YYYY-MM-DD): +010000-03-01');
      return caseloadProjection.applyBatch(tx, table, events, cache);
    },
  };

  beforeAll(async () => {
    b = await openBackend(kind, 'parking');
    parked = new ParkedEvents(b.sql);
    await parked.migrate();
  });

  afterAll(async () => {
    await b?.close();
  });

  const entry = async (caseId: string) =>
    (await loadCaseloadEntries(b.sql, 'caseload', [caseId])).get(caseId)?.state;

  it('parks the poison and what follows it in its stream, goes on with the rest, and a retry after the fix applies them in order', async () => {
    const poisoned = randomUUID();
    const healthy = randomUUID();
    const parkedSeen: RecordedEvent[] = [];
    const projector = new Projector(b.sql, b.store, fragile, {
      batchSize: 50,
      retryDelayMs: 10,
      parking: { parked, consumer: 'caseload' },
      onParked: (event) => parkedSeen.push(event),
    });
    await appendToCase(b.store, poisoned, caseOpened(poisoned, '2026-06-01'));
    await appendToCase(b.store, healthy, caseOpened(healthy, '2026-06-01'));
    await appendToCase(b.store, poisoned, barrierIdentified('2026-06-02', undefined, 'poison'));
    await appendToCase(b.store, poisoned, contactRecorded('2026-06-03'));
    await appendToCase(b.store, healthy, contactRecorded('2026-06-04'));
    await projector.start();
    try {
      await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
      expect(projector.error).toBeUndefined();

      const list = await parked.list({ consumer: 'caseload' });
      expect(list.map((e) => [e.streamId, e.revision, e.eventType])).toEqual([
        [`case-${poisoned}`, 1, 'BarrierIdentified'],
        [`case-${poisoned}`, 2, 'ContactRecorded'],
      ]);
      expect(list[0].error).toContain('not a business date');
      expect(list[1].error).toContain('held');
      expect(list[0].event.data).toMatchObject({ plan: 'poison' });
      expect(parkedSeen).toHaveLength(1);
      expect(await parked.counts()).toEqual({ caseload: 2 });

      // The poisoned case stays as it was before the poison; the other one moved on.
      expect((await entry(poisoned))?.barriers).toEqual([]);
      expect((await entry(healthy))?.lastQualifyingContactOn).toBe('2026-06-04');

      // Still live: new events of other cases are applied, of the parked stream parked.
      await appendToCase(b.store, healthy, contactRecorded('2026-06-05'));
      await appendToCase(b.store, poisoned, contactRecorded('2026-06-06'));
      await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
      expect((await entry(healthy))?.lastQualifyingContactOn).toBe('2026-06-05');
      expect(await parked.counts()).toEqual({ caseload: 3 });

      // A rebuild while they are parked builds the stream up to its first parked event.
      await projector.stop();
      await readAllThroughLastAppend(b.store);
      await expect(rebuildProjection(b.sql, b.store, fragile)).rejects.toThrow(
        'not a business date',
      );
      const rebuilt = await rebuildProjection(
        b.sql,
        b.store,
        skippingParked(fragile, await parked.list()),
      );
      expect(rebuilt.rows).toBeGreaterThanOrEqual(2);
      expect((await entry(poisoned))?.barriers).toEqual([]);
      expect((await entry(healthy))?.lastQualifyingContactOn).toBe('2026-06-05');
      await projector.start();

      // A retry before the fix fails at the poison and leaves all three parked.
      const early = await retryParkedEvents(parked, [projectionRetrier(b.sql, fragile)]);
      expect(early.applied).toBe(0);
      expect(early.failed).toHaveLength(1);
      expect((await parked.list({ consumer: 'caseload' }))[0].attempts).toBe(2);

      fixed = true;
      const report = await retryParkedEvents(parked, [projectionRetrier(b.sql, fragile)], {
        id: list[0].id,
      });
      expect(report).toEqual({ applied: 3, failed: [], unknownConsumers: [] });
      expect(await parked.counts()).toEqual({});
      const repaired = await entry(poisoned);
      expect(repaired?.barriers).toHaveLength(1);
      expect(repaired?.lastQualifyingContactOn).toBe('2026-06-06');

      // Once nothing of it is parked, the stream is projected live again.
      await appendToCase(b.store, poisoned, contactRecorded('2026-06-07'));
      await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
      expect((await entry(poisoned))?.lastQualifyingContactOn).toBe('2026-06-07');
      expect(await parked.counts()).toEqual({});
    } finally {
      await projector.stop();
    }
  });
});
