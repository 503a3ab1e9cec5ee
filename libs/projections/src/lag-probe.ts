import type { ProjectionLag } from './projector';

/** What /health reads to report read-model lag; the worker side's projector provides it. */
export interface ProjectionLagProbe {
  lag(): Promise<ProjectionLag[]>;
}

/** The injection token of the probe (a plain symbol: this lib does not depend on NestJS). */
export const PROJECTION_LAG_PROBE = Symbol('PROJECTION_LAG_PROBE');
