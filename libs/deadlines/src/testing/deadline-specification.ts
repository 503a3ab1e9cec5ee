import { comparePositions } from '@caseledger/event-store';
import type { Actor, BusinessDate, CaseCommand } from '@caseledger/domain';
import {
  as,
  resultOf,
  specification,
  type Expectation,
  type SpecGiven,
  type Step,
} from '@caseledger/testing';
import type { WorkerOptions } from 'bullmq';
import { deadlineJobId, type DeadlineJobData, type DeadlineKind } from '../deadline-kind';
import { eventually, type DeadlineHarness } from './deadline-harness';

/**
 * Given / when / then for the deadline machinery against real PostgreSQL and
 * Redis, in the shape of the decider and HTTP specifications: given cases
 * opened through the command executor (and the reactor, workers or a lost
 * Redis), when the reactor, a sweep or the processor acts, then the jobs in
 * the queue and the exits in the case streams.
 *
 *   deadlineSpec(() => h)
 *     .given(reactorStarted(), opened('due', 100))
 *     .when(workerStarted())
 *     .then(expectExit('due', { exitDate: h.daysAgo(100) }))
 *
 * Cases are named: `opened(name, …)` keeps the case id under that name, and
 * the steps and expectations that take a case take its name. The reactor and
 * the processor work asynchronously, so job and exit expectations poll until
 * they hold (jest's timeout bounds them; no timed assertion).
 */

export type DeadlineStep = Step<DeadlineHarness>;
export type DeadlineExpectation = Expectation<DeadlineHarness, undefined>;

export const deadlineSpec = (
  harness: () => DeadlineHarness,
): SpecGiven<DeadlineHarness, undefined> => specification<DeadlineHarness>(harness);

/** The id of the case opened under that name. */
export const caseIdOf = (h: DeadlineHarness, name: string): string => resultOf<string>(h, name);

// ── steps ─────────────────────────────────────────────────────────────────

/** The reactor runs from the head of the store (earlier tests' cases are not this test's). */
export const reactorStarted = (): DeadlineStep => (h) => h.startReactorAtHead();

/** A worker processes due jobs. */
export const workerStarted =
  (options: Partial<WorkerOptions> = {}): DeadlineStep =>
  (h) => {
    h.startWorker(options);
  };

/** A case opened `daysAgo` days before today (or on that date), kept under `name`. */
export const opened = (
  name: string,
  on: number | ((h: DeadlineHarness) => BusinessDate),
  over: Parameters<DeadlineHarness['openCase']>[1] = {},
): DeadlineStep =>
  as(name, (h) => h.openCase(typeof on === 'number' ? h.daysAgo(on) : on(h), over));

/** The named case's job of that kind as it stands now, kept under `label`. */
export const jobNoted = (kind: DeadlineKind, name: string, label: string): DeadlineStep =>
  as(label, (h) => jobOf(h, kind, name));

/** The command (made for the named case's id) sent through the executor. */
export const sent =
  (
    name: string,
    command: (caseId: string, h: DeadlineHarness) => CaseCommand,
    actor?: Actor,
  ): DeadlineStep =>
  (h) => {
    const caseId = caseIdOf(h, name);
    return h.send(caseId, command(caseId, h), actor);
  };

/** The named case enrolled in an activity starting `daysAgo` days before today. */
export const enrolled =
  (name: string, daysAgo: number): DeadlineStep =>
  (h) =>
    h.enroll(caseIdOf(h, name), h.daysAgo(daysAgo));

/** A contact with the named case recorded today (in person and reached, unless `how` says otherwise). */
export const contacted =
  (name: string, how?: Parameters<DeadlineHarness['recordContact']>[2]): DeadlineStep =>
  (h) =>
    h.recordContact(caseIdOf(h, name), h.today, how);

/** Every BullMQ key of this test is gone (what FLUSHALL does to a dedicated Redis); labelled `label`. */
export const redisLost = (label: string): DeadlineStep => as(label, (h) => h.loseRedis());

/** The caseload catches up and one sweep runs (its report labelled `label`). */
export const swept = (label: string): DeadlineStep =>
  as(label, async (h) => {
    await h.catchUpCaseload();
    return h.sweep();
  });

/** The reactor has processed the named case's stream up to its head. */
export const reactorCaughtUp =
  (name: string): DeadlineStep =>
  async (h) => {
    const stream = await h.events(caseIdOf(h, name));
    const head = stream[stream.length - 1]?.position;
    if (!head) throw new Error(`case "${name}" has no events`);
    await eventually(() => {
      const at = h.reactor.processedUpTo;
      return Promise.resolve(at && comparePositions(at, head) >= 0 ? true : undefined);
    });
  };

// ── expectations ──────────────────────────────────────────────────────────

const jobOf = (h: DeadlineHarness, kind: DeadlineKind, name: string) =>
  h.queue.getJob(deadlineJobId(kind, caseIdOf(h, name)));

/** The named case's job of that kind comes to be due on that date. */
export const expectJob =
  (
    kind: DeadlineKind,
    name: string,
    dueOn: BusinessDate | ((h: DeadlineHarness) => string),
  ): DeadlineExpectation =>
  async ({ world: h }) => {
    const due = typeof dueOn === 'function' ? dueOn(h) : dueOn;
    await eventually(async () =>
      (await jobOf(h, kind, name))?.data.dueOn === due ? true : undefined,
    );
  };

/** The named case's job of that kind comes to exist (`eventually`), or exists now. */
export const expectJobScheduled =
  (kind: DeadlineKind, name: string, { now = false } = {}): DeadlineExpectation =>
  async ({ world: h }) => {
    if (now) expect(await jobOf(h, kind, name)).toBeDefined();
    else await eventually(() => jobOf(h, kind, name));
  };

/** The named case's job of that kind comes to be gone (`eventually`), or is absent now. */
export const expectNoJob =
  (kind: DeadlineKind, name: string, { now = false } = {}): DeadlineExpectation =>
  async ({ world: h }) => {
    if (now) expect(await jobOf(h, kind, name)).toBeUndefined();
    else await eventually(async () => ((await jobOf(h, kind, name)) ? undefined : true));
  };

/** The named case comes to soft-exit (polled), exactly once, with these data. */
export const expectExit =
  (name: string, data?: (h: DeadlineHarness) => Record<string, unknown>): DeadlineExpectation =>
  async ({ world: h }) => {
    const caseId = caseIdOf(h, name);
    const exits = await eventually(async () => {
      const found = await h.softExits(caseId);
      return found.length > 0 ? found : undefined;
    });
    expect(exits).toHaveLength(1);
    if (data) expect(exits[0]?.data).toMatchObject(data(h));
  };

/** The named case has soft-exited exactly `count` times now (no polling). */
export const expectExitCount =
  (name: string, count: number): DeadlineExpectation =>
  async ({ world: h }) =>
    expect(await h.softExits(caseIdOf(h, name))).toHaveLength(count);

/** The named case's job of that kind is the very job noted under `label` (same deadline, not re-added). */
export const expectJobKept =
  (kind: DeadlineKind, name: string, label: string): DeadlineExpectation =>
  async (outcome) => {
    const noted = outcome.result<Awaited<ReturnType<typeof jobOf>>>(label);
    const now = await jobOf(outcome.world, kind, name);
    expect(now?.data.dueOn).toBe(noted?.data.dueOn);
    expect(now?.timestamp).toBe(noted?.timestamp);
  };

/** The named case's job of that kind holds these data now. */
export const expectJobData =
  (
    kind: DeadlineKind,
    name: string,
    data: (h: DeadlineHarness) => Record<string, unknown>,
  ): DeadlineExpectation =>
  async ({ world: h }) =>
    expect((await jobOf(h, kind, name))?.data).toMatchObject(data(h));

/** The named case's stream holds events of exactly these types, in order. */
export const expectEventTypes =
  (name: string, ...types: string[]): DeadlineExpectation =>
  async ({ world: h }) =>
    expect((await h.events(caseIdOf(h, name))).map((e) => e.type)).toEqual(types);

/** The named case comes to hold a tickler of that kind due on that date (polled). */
export const expectTickler =
  (name: string, kind: string, dueOn: (h: DeadlineHarness) => string): DeadlineExpectation =>
  async ({ world: h }) => {
    const caseId = caseIdOf(h, name);
    await eventually(async () =>
      (await h.events(caseId)).some((e) => {
        const t = e.data as { kind?: string; dueOn?: string };
        return e.type === 'TicklerRaised' && t.kind === kind && t.dueOn === dueOn(h);
      })
        ? true
        : undefined,
    );
  };

export type { DeadlineJobData };
