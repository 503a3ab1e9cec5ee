import { randomUUID } from 'node:crypto';
import { businessDate, type Actor, type BusinessDate } from '@caseledger/domain';
import { parsePosition, type EventStore, type Position } from '@caseledger/event-store';
import { buildExitReport, type ExitReport, type ExitRow, type ExitTotals } from './exit-report';
import type { ScanOptions } from './log-scan';
import {
  ReportRequestError,
  parseExitRequest,
  pinPosition,
  type ExitReportParams,
  type ReportScope,
} from './report-params';

/** The non-case stream the saved cohorts live in (the store port takes any stream id). */
export const REPORTS_STREAM = 'reports';
export const EXIT_COHORT_SAVED = 'ExitCohortSaved';

/** A submitted quarter's exit cohort: enough to reproduce exactly what was submitted. */
export interface ExitCohort {
  cohortId: string;
  /** `2026-Q3`, or the period when given by dates. */
  label: string;
  parameters: ExitReportParams;
  scope: readonly string[] | 'ALL';
  position: string;
  digest: string;
  totals: ExitTotals;
  savedAt: string;
  savedBy: string;
}

/** `2026-Q3` → 2026-07-01 … 2026-09-30. */
export function quarterPeriod(quarter: string): { from: BusinessDate; to: BusinessDate } | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return null;
  const year = match[1];
  const q = Number(match[2]);
  const startMonth = String((q - 1) * 3 + 1).padStart(2, '0');
  const ends = ['03-31', '06-30', '09-30', '12-31'];
  return {
    from: businessDate(`${year}-${startMonth}-01`),
    to: businessDate(`${year}-${ends[q - 1]}`),
  };
}

export interface ParsedCohortRequest {
  label: string;
  params: ExitReportParams;
  atPosition?: Position;
}

/** `{quarter}` or `{from, to}`, with the exit report's filters. */
export function parseCohortRequest(input: Record<string, unknown>): ParsedCohortRequest {
  const { quarter, ...rest } = input;
  if (quarter !== undefined) {
    const period = typeof quarter === 'string' ? quarterPeriod(quarter) : null;
    if (!period)
      throw new ReportRequestError('invalid cohort request', [
        { field: 'quarter', message: 'expected a quarter such as 2026-Q3' },
      ]);
    if (rest.from !== undefined || rest.to !== undefined)
      throw new ReportRequestError('invalid cohort request', [
        { field: 'quarter', message: 'give a quarter or from/to, not both' },
      ]);
    const parsed = parseExitRequest({ ...rest, ...period });
    return { label: quarter as string, ...parsed };
  }
  const parsed = parseExitRequest(rest);
  return { label: `${parsed.params.from}..${parsed.params.to}`, ...parsed };
}

/** Computes the cohort's exit report and records it as an event of the `reports` stream. */
export async function saveCohort(
  store: EventStore,
  request: ParsedCohortRequest,
  scope: ReportScope,
  actor: Actor,
  options: ScanOptions & { now?: Date } = {},
): Promise<{ cohort: ExitCohort; report: ExitReport }> {
  const position = await pinPosition(store, request.atPosition);
  const report = await buildExitReport(store, request.params, scope, position, options);
  const cohortId = randomUUID();
  const cohort: ExitCohort = {
    cohortId,
    label: request.label,
    parameters: request.params,
    scope: scope.centers ?? 'ALL',
    position: report.position,
    digest: report.digest,
    totals: report.totals,
    savedAt: (options.now ?? new Date()).toISOString(),
    savedBy: actor.staffId,
  };
  await store.append(
    REPORTS_STREAM,
    [
      {
        eventId: cohortId,
        type: EXIT_COHORT_SAVED,
        data: cohort,
        metadata: {
          commandId: cohortId,
          correlationId: cohortId,
          causationId: cohortId,
          actor: { staffId: actor.staffId, role: actor.role, careerCenterId: actor.careerCenterId },
          schemaVersion: 1,
        },
      },
    ],
    'any',
  );
  return { cohort, report };
}

/** Saved cohorts, oldest first; staff see those whose scope lies within theirs (R13). */
export async function listCohorts(store: EventStore, scope: ReportScope): Promise<ExitCohort[]> {
  const events = await store.readStream(REPORTS_STREAM);
  return events
    .filter((e) => e.type === EXIT_COHORT_SAVED)
    .map((e) => e.data as ExitCohort)
    .filter((c) => cohortVisible(c, scope));
}

export const cohortVisible = (cohort: ExitCohort, scope: ReportScope): boolean =>
  scope.centers === undefined ||
  (cohort.scope !== 'ALL' && cohort.scope.every((center) => scope.centers!.includes(center)));

export interface CohortChanges {
  /** Exits in the period now that the submitted cohort did not have. */
  added: ExitRow[];
  /** Submitted exits the period no longer shows (an R21 reversal, say). */
  removed: ExitRow[];
  /** Exits whose fields differ (closure reason recorded since, a moved date…), then and now. */
  changed: Array<{ caseId: string; submitted: ExitRow; now: ExitRow }>;
}

export interface CohortReproduction {
  cohort: ExitCohort;
  /** The report re-run at the saved position: its digest equals the saved one. */
  reproduced: { position: string; digest: string; matches: boolean };
  /** The same parameters on today's log. */
  current: { position: string; digest: string; totals: ExitTotals };
  changes: CohortChanges;
}

/** Re-runs a saved cohort at its position (it must give the saved digest) and now, and compares. */
export async function reproduceCohort(
  store: EventStore,
  cohort: ExitCohort,
  options: ScanOptions = {},
): Promise<CohortReproduction> {
  const scope: ReportScope = cohort.scope === 'ALL' ? {} : { centers: cohort.scope };
  const then = await buildExitReport(
    store,
    cohort.parameters,
    scope,
    parsePosition(cohort.position),
    options,
  );
  const head = await pinPosition(store, undefined);
  const now = await buildExitReport(store, cohort.parameters, scope, head, options);
  const before = new Map(then.exits.map((row) => [row.caseId, row]));
  const after = new Map(now.exits.map((row) => [row.caseId, row]));
  const changes: CohortChanges = { added: [], removed: [], changed: [] };
  for (const row of now.exits) {
    const old = before.get(row.caseId);
    if (!old) changes.added.push(row);
    else if (JSON.stringify(old) !== JSON.stringify(row))
      changes.changed.push({ caseId: row.caseId, submitted: old, now: row });
  }
  for (const row of then.exits) if (!after.has(row.caseId)) changes.removed.push(row);
  return {
    cohort,
    reproduced: {
      position: then.position,
      digest: then.digest,
      matches: then.digest === cohort.digest,
    },
    current: { position: now.position, digest: now.digest, totals: now.totals },
    changes,
  };
}
