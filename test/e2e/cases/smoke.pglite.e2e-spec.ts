import { runScenarios, type UseCase } from '../support/api-specification';
import { access } from './access.e2e-spec';
import { barriers } from './barriers.e2e-spec';
import { caseReads } from './case-reads.e2e-spec';
import { concurrency } from './concurrency.e2e-spec';
import { employment } from './employment.e2e-spec';
import { enrollments } from './enrollments.e2e-spec';
import { goals } from './goals.e2e-spec';
import { idempotency } from './idempotency.e2e-spec';
import { openCase } from './open-case.e2e-spec';
import { operations } from './operations.e2e-spec';
import { plannedGaps } from './planned-gaps.e2e-spec';
import { recordContact } from './record-contact.e2e-spec';
import { suspension } from './suspension.e2e-spec';
import { transfer } from './transfer.e2e-spec';

/**
 * The use cases run in full on PostgreSQL (their own spec files); here, one
 * app on PGlite runs the scenarios each marks `smoke()`: every use case's
 * main path and a refusal that appends nothing. The store contract suite
 * (libs/event-store) already proves the two backends alike event by event.
 */
const USE_CASES: readonly UseCase[] = [
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

runScenarios(
  'HTTP API v1 smoke',
  'pglite',
  USE_CASES.flatMap((u) =>
    u.scenarios.filter((s) => s.smoke).map((s) => ({ ...s, name: `${u.title}: ${s.name}` })),
  ),
);
