import type { CaseEvent, CaseEventType } from './case.events';

/**
 * Event schema versions (DESIGN.md "Events": schema changes go through
 * upcasters, never by rewriting stored events). Every stored event carries the
 * version it was written with; reading turns it into the current shape by
 * applying, in order, one registered step per version it is behind.
 */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<CaseEventType, number>> = Object.freeze({
  CaseOpened: 1,
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
  CaseTransferred: 1,
  CaseSuspended: 1,
  SuspensionReturned: 1,
  CaseClosed: 1,
  CaseSoftExited: 1,
  TicklerRaised: 1,
});

/** An event as the store holds it: type, the version it was written with, its data. */
export interface StoredCaseEvent {
  type: string;
  schemaVersion: number;
  data: unknown;
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

/** The shipped steps; empty while every event is at version 1. */
export const CASE_UPCAST_STEPS: UpcasterRegistry['steps'] = Object.freeze({});

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
    return { type, data } as unknown as CaseEvent;
  };
}

/** Reads a stored case event into today's shape. */
export const upcast = createUpcaster({
  currentVersions: CURRENT_SCHEMA_VERSION,
  steps: CASE_UPCAST_STEPS,
});
