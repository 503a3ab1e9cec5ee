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
export * from './caseload/caseload.codec';
export * from './caseload/caseload.store';
export * from './caseload/caseload.rebuild-folder';
export * from './caseload/caseload.read-model';
export { assertIdentifier } from './sql-values';
export * from './caseload/caseload.queries';
export * from './caseload/worklist.queries';
export * from './caseload/caseload.as-of';
export * from './compliance/compliance.queries';
export * from './case-search/case-search.projection';
export * from './case-search/case-search.table';

import { caseloadProjection } from './caseload/caseload.read-model';
import { caseSearchProjection } from './case-search/case-search.table';
import type { Projection } from './projection';

/** Every projection by the name the CLI uses (`projections rebuild caseload`). */
export const PROJECTIONS: Readonly<Record<string, Projection>> = Object.freeze({
  caseload: caseloadProjection,
  'case-search': caseSearchProjection,
});
