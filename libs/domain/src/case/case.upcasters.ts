import { DEFAULT_FOLLOW_UP_EVERY_DAYS, DEFAULT_FOLLOW_UP_MONTHS } from '../policy/contact-policy';
import type { CaseEvent, CaseEventType } from './case.events';

/**
 * Event schema versions (DESIGN.md "Events": schema changes go through
 * upcasters, never by rewriting stored events). Every stored event carries the
 * version it was written with; reading turns it into the current shape by
 * applying, in order, one registered step per version it is behind.
 */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<CaseEventType, number>> = Object.freeze({
  // v2 (2026-12-02): policy id, version and the R20 follow-up terms.
  CaseOpened: 2,
  ActivityEnrolled: 1,
  ActivityEnded: 1,
  ContactRecorded: 1,
  ContactAttempted: 1,
  BarrierIdentified: 1,
  BarrierOvercome: 1,
  PlannedGapScheduled: 1,
  GoalSet: 1,
  GoalResolved: 1,
  AssessmentRecorded: 1,
  EmploymentRecorded: 1,
  CaseTransferred: 2,
  CaseSuspended: 1,
  SuspensionReturned: 1,
  // v2: self-explaining decisions (rules, policy, exit date, the events they rest on).
  CaseClosed: 2,
  CaseSoftExited: 2,
  TicklerRaised: 1,
  FollowUpContactRecorded: 1,
  PlannedGapEnded: 1,
  ContactVoided: 1,
  EntryCorrected: 1,
  CustomerDetailsCorrected: 1,
  SoftExitReversed: 1,
});

/** An event as the store holds it: type, the version it was written with, its data. */
export interface StoredCaseEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
  /** The store's event id, handed on so facts can name the event that recorded them. */
  eventId?: string;
}

/** One step: data written at version `v` → data of version `v + 1`. Must not mutate its input. */
export type UpcastStep = (data: Readonly<Record<string, unknown>>) => Record<string, unknown>;

export interface UpcasterRegistry {
  /** The version each known event type is written with today. */
  currentVersions: Readonly<Record<string, number>>;
  /** Per type, the step that lifts version `v` (the key) to `v + 1`. */
  steps: Readonly<Record<string, Readonly<Record<number, UpcastStep>>>>;
}

export class UpcastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpcastError';
  }
}

/** Terms a v1 `CaseOpened`/`CaseTransferred` lacks: the area as policy id, edition 1, R20 defaults. */
const termsV2 = (policy: unknown, localAreaId: unknown): Record<string, unknown> => ({
  policyId: typeof localAreaId === 'string' ? localAreaId : 'unknown',
  version: 1,
  followUpMonths: DEFAULT_FOLLOW_UP_MONTHS,
  followUpEveryDays: DEFAULT_FOLLOW_UP_EVERY_DAYS,
  ...(typeof policy === 'object' && policy !== null ? policy : {}),
});

/**
 * The shipped steps. v1 decisions did not explain themselves: they are read
 * with the rules they applied and null references ("not recorded"), never with
 * invented event ids. A v1 `CaseClosed` recorded no exit date (v1 took the
 * approval day, the defect R14 v2 fixes): it is read as null and the fold gives
 * the case's program exit date.
 */
export const CASE_UPCAST_STEPS: UpcasterRegistry['steps'] = Object.freeze({
  CaseOpened: {
    1: (data) => ({ ...data, policy: termsV2(data.policy, data.localAreaId) }),
  },
  CaseTransferred: {
    1: (data) => ({
      ...data,
      policy: termsV2(data.policy, (data.to as { localAreaId?: unknown } | undefined)?.localAreaId),
    }),
  },
  CaseClosed: {
    1: (data) => ({
      ...data,
      exitDate: null,
      rules: ['R14', 'R16'],
      policy: null,
      suspension: null,
      approvedBy: null,
      softExit: null,
      employmentVerifiedBy: null,
      exit: null,
    }),
  },
  CaseSoftExited: {
    1: (data) => ({
      ...data,
      rules: ['R8', 'R17'],
      trigger: 'DEADLINE_PASSED',
      policy: null,
      exit: null,
    }),
  },
});

/**
 * An upcaster over a registry. It refuses, with a clear message, an unknown
 * type, a version it has no path from, and a version newer than this code.
 */
export function createUpcaster(registry: UpcasterRegistry): (stored: StoredCaseEvent) => CaseEvent {
  return (stored) => {
    const { type, schemaVersion } = stored;
    const current = Object.prototype.hasOwnProperty.call(registry.currentVersions, type)
      ? registry.currentVersions[type]
      : undefined;
    if (current === undefined) throw new UpcastError(`unknown event type ${String(type)}`);
    if (!Number.isInteger(schemaVersion) || schemaVersion < 1)
      throw new UpcastError(`${type}: invalid schema version ${String(schemaVersion)}`);
    if (schemaVersion > current)
      throw new UpcastError(
        `${type}: schema version ${schemaVersion} is newer than this code knows (${current})`,
      );
    if (typeof stored.data !== 'object' || stored.data === null)
      throw new UpcastError(`${type}: data must be an object`);
    let data = stored.data as Readonly<Record<string, unknown>>;
    for (let version = schemaVersion; version < current; version++) {
      const step = registry.steps[type]?.[version];
      if (!step) throw new UpcastError(`${type}: no upcaster from schema version ${version}`);
      data = step(data);
    }
    const event = { type, data } as unknown as CaseEvent;
    if (typeof stored.eventId === 'string') event.eventId = stored.eventId;
    return event;
  };
}

/** Reads a stored case event into today's shape. */
export const upcast = createUpcaster({
  currentVersions: CURRENT_SCHEMA_VERSION,
  steps: CASE_UPCAST_STEPS,
});

/**
 * The fields of a recorded event upcasting reads, as every store adapter hands
 * them over (structurally the event store's `RecordedEvent`: the domain
 * imports no store).
 */
export interface RecordedCaseEvent {
  type: string;
  data: unknown;
  eventId?: string;
  metadata: { schemaVersion: number };
}

/**
 * The one way from a recorded event to today's CaseEvent (the executor, the
 * projector, the audit views and the test kits all read through it).
 */
export const upcastRecorded = (recorded: RecordedCaseEvent): CaseEvent =>
  upcast({
    type: recorded.type,
    data: recorded.data,
    schemaVersion: recorded.metadata.schemaVersion,
    ...(recorded.eventId !== undefined ? { eventId: recorded.eventId } : {}),
  });
