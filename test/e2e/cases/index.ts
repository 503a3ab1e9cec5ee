import type { UseCase } from '../support/api-specification';
import { access } from './access.cases';
import { barriers } from './barriers.cases';
import { caseReads } from './case-reads.cases';
import { concurrency } from './concurrency.cases';
import { employment } from './employment.cases';
import { enrollments } from './enrollments.cases';
import { goals } from './goals.cases';
import { idempotency } from './idempotency.cases';
import { openCase } from './open-case.cases';
import { operations } from './operations.cases';
import { plannedGaps } from './planned-gaps.cases';
import { recordContact } from './record-contact.cases';
import { suspension } from './suspension.cases';
import { transfer } from './transfer.cases';

/**
 * Every use case of the HTTP API v1, one `<use-case>.cases.ts` file each (a
 * list of given/when/then scenarios). Two entries run them: all of them on
 * PostgreSQL (use-cases.e2e-spec.ts) and the smoke subset on PGlite
 * (smoke.pglite.e2e-spec.ts), each on one app, so the app starts twice, not
 * once per use case.
 */
export const USE_CASES: readonly UseCase[] = [
  openCase,
  enrollments,
  recordContact,
  barriers,
  plannedGaps,
  goals,
  employment,
  transfer,
  suspension,
  caseReads,
  access,
  concurrency,
  idempotency,
  operations,
];
