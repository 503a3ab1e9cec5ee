import { randomUUID } from 'node:crypto';
import { createPolicyBook, type CaseEvent } from '@caseledger/domain';
import { date } from '@caseledger/domain/testing';
import type { RecordedEvent } from '@caseledger/event-store';
import {
  as,
  resultOf,
  specification,
  type Expectation,
  type Outcome,
  type SpecGiven,
  type Step,
} from '@caseledger/testing';
import { areaCalendar } from '../area-calendar';
import { readCheckpoint } from '../checkpoints';
import { applyProjectionBatch, Projector, type BatchResult } from '../projector';
import type { Projection } from '../projection';
import { rebuildProjection, type RebuildOptions, type RebuildResult } from '../rebuild';
import { queryCompliance } from '../compliance/compliance.queries';
import { caseloadProjection } from '../caseload/caseload.read-model';
import {
  queryCaseload,
  type CaseloadFilter,
  type CaseloadPage,
} from '../caseload/caseload.queries';
import {
  appendToCase,
  lastAppendedPosition,
  readAllThroughLastAppend,
  type Backend,
} from './backends';
import {
  barrierIdentified,
  caseOpened,
  caseSuspended,
  caseTransferred,
  contactRecorded,
  noAnswer,
  outreachSent,
} from './case-events';
import { actualRows, expectedRowsFromStore, snapshotTable } from './snapshots';

/**
 * Given / when / then for the caseload read model against a real store and
 * database (PostgreSQL or PGlite): given events appended to case streams, when
 * the projector runs (or a batch is applied, or the table is rebuilt), then
 * the rows and the queries over them. The table as it stood before the when
 * steps is kept (`expectTableUnchanged`).
 *
 *   caseloadIntSpec(() => b)
 *     .given(appended(id, caseOpened(id, '2024-01-10')))
 *     .when(projectorRuns())
 *     .then(expectListed('2024-02-01T12:00:00Z', { caseManagerId: 'cm-1' }, [id]))
 */

export interface CaseloadWorld {
  readonly b: Backend;
  /** The case ids `seeded` made, in order. */
  cases: string[];
}

export type CaseloadStep = Step<CaseloadWorld>;
export type CaseloadExpectation = Expectation<CaseloadWorld, unknown[]>;

export const caseloadIntSpec = (backend: () => Backend): SpecGiven<CaseloadWorld, unknown[]> =>
  specification<CaseloadWorld, unknown[]>(
    () => ({ b: backend(), cases: [] }),
    ({ b }) => snapshotTable(b.sql),
  );

const policies = createPolicyBook();
/** The area calendar at that instant (today in each area's own zone). */
export const calendarAt = (iso: string) => areaCalendar(policies, new Date(iso));

// ── given / when steps ────────────────────────────────────────────────────

/** Events appended to the case's stream in one append. */
export const appended =
  (caseId: string, ...events: CaseEvent[]): CaseloadStep =>
  ({ b }) =>
    appendToCase(b.store, caseId, ...events);

/** `cases` cases with some history each, appended interleaved, one event per append, like live traffic. */
export const seeded =
  (cases: number): CaseloadStep =>
  async (world) => {
    const ids = Array.from({ length: cases }, () => randomUUID());
    const histories = ids.map((id, i) => historyOf(id, i));
    const longest = Math.max(...histories.map((h) => h.length));
    for (let k = 0; k < longest; k++) {
      const appends: Array<Promise<unknown>> = [];
      ids.forEach((id, i) => {
        const event = histories[i]?.[k];
        if (event) appends.push(appendToCase(world.b.store, id, event));
      });
      await Promise.all(appends);
    }
    world.cases.push(...ids);
  };

/** A projector runs to the head of what was appended, then stops. */
export const projectorRuns =
  (projection: Projection = caseloadProjection, batchSize = 50): CaseloadStep =>
  async ({ b }) => {
    const projector = new Projector(b.sql, b.store, projection, { batchSize, retryDelayMs: 10 });
    await projector.start();
    await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
    await projector.stop();
  };

/** Everything appended so far, read back from read-all (labelled `label`). */
export const readAll = (label: string): CaseloadStep =>
  as(label, ({ b }) => readAllThroughLastAppend(b.store, 100));

/** The events read under `eventsLabel`, applied as one batch through the checkpointed path. */
export const batchApplied = (label: string, eventsLabel: string): CaseloadStep =>
  as(label, (world) =>
    applyProjectionBatch(
      world.b.sql,
      caseloadProjection,
      'caseload',
      resultOf<RecordedEvent[]>(world, eventsLabel),
    ),
  );

/** The same events written again past the checkpoint guard: each row's own position must refuse them. */
export const batchAppliedPastCheckpoint = (label: string, eventsLabel: string): CaseloadStep =>
  as(label, (world) =>
    world.b.sql.transaction((tx) =>
      caseloadProjection.applyBatch(tx, 'caseload', resultOf<RecordedEvent[]>(world, eventsLabel)),
    ),
  );

/** A full rebuild of the table (labelled `label`). */
export const rebuilt = (
  label: string,
  projection: Projection = caseloadProjection,
  options: RebuildOptions = {},
): CaseloadStep => as(label, ({ b }) => rebuildProjection(b.sql, b.store, projection, options));

/** The compliance report at that instant (labelled `label`). */
export const complianceQueried = (
  label: string,
  at: string,
  window?: { from: string; to: string },
): CaseloadStep =>
  as(label, ({ b }) =>
    queryCompliance(
      b.sql,
      calendarAt(at),
      window && { from: date(window.from), to: date(window.to) },
    ),
  );

// ── expectations ──────────────────────────────────────────────────────────

/** The caseload page that query answers at that instant. */
export const expectCaseload =
  (at: string, filter: CaseloadFilter, check: (page: CaseloadPage) => void): CaseloadExpectation =>
  async ({ world }) =>
    check(await queryCaseload(world.b.sql, calendarAt(at), filter));

/** That query lists exactly these cases, in order. */
export const expectListed = (
  at: string,
  filter: Omit<CaseloadFilter, 'page' | 'pageSize'>,
  caseIds: readonly string[],
): CaseloadExpectation =>
  expectCaseload(at, { ...filter, page: 1, pageSize: 10 }, (page) =>
    expect(page.cases.map((c) => c.caseId)).toEqual(caseIds),
  );

/** The case's row holds these fields (the listing of its case manager at that instant). */
export const expectRow = (
  at: string,
  filter: Omit<CaseloadFilter, 'page' | 'pageSize'>,
  ...rows: Partial<CaseloadPage['cases'][number]>[]
): CaseloadExpectation =>
  expectCaseload(at, { ...filter, page: 1, pageSize: 10 }, (page) =>
    expect(page.cases).toEqual(rows.map((r): unknown => expect.objectContaining(r))),
  );

/** The when steps left every stored column of every row as it was. */
export const expectTableUnchanged =
  (): CaseloadExpectation =>
  async ({ world, before }) =>
    expect(await snapshotTable(world.b.sql)).toEqual(before);

/** The checkpoint stands where the labelled batch left it. */
export const expectCheckpointOf =
  (label: string): CaseloadExpectation =>
  async (outcome) =>
    expect(await readCheckpoint(outcome.world.b.sql, 'caseload')).toEqual(
      outcome.result<BatchResult>(label).position,
    );

/** Each row is what folding its case stream from the store gives (the decider's view). */
export const expectRowsAsStoreFolds =
  (): CaseloadExpectation =>
  async ({ world: { b } }) =>
    expect(await actualRows(b.sql)).toEqual(
      await expectedRowsFromStore(b.store, lastAppendedPosition(b.store)),
    );

/** A rebuild now (that projection and options) builds exactly the table the when steps left. */
export const expectRebuildGivesSameTable =
  (
    projection: Projection,
    options: RebuildOptions,
    check: (result: RebuildResult, outcome: Outcome<CaseloadWorld, unknown[]>) => void,
  ): CaseloadExpectation =>
  async (outcome) => {
    const { b } = outcome.world;
    const left = await snapshotTable(b.sql);
    check(await rebuildProjection(b.sql, b.store, projection, options), outcome);
    expect(await snapshotTable(b.sql)).toEqual(left);
  };

// ── test data ─────────────────────────────────────────────────────────────

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
