export * from './projection';
export * from './checkpoints';
export * from './schema';
export * from './projector';
export * from './lag-probe';
export * from './rebuild';
export * from './area-calendar';
export * from './caseload/caseload.row';
export * from './caseload/caseload.projection';
export * from './caseload/caseload.table';
export * from './caseload/caseload.queries';
export * from './caseload/caseload.as-of';
export * from './compliance/compliance.queries';

import { caseloadProjection } from './caseload/caseload.table';
import type { Projection } from './projection';

/** Every projection by the name the CLI uses (`projections rebuild caseload`). */
export const PROJECTIONS: Readonly<Record<string, Projection>> = Object.freeze({
  caseload: caseloadProjection,
});
