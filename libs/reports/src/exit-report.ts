import { createHash } from 'node:crypto';
import {
  daysBetween,
  type BusinessDate,
  type CaseState,
  type ClosureReason,
} from '@caseledger/domain';
import {
  canonicalJson,
  positionToString,
  type EventStore,
  type Position,
} from '@caseledger/event-store';
import { foldCasesAt, type ScanOptions } from './log-scan';
import type { ExitReportParams, ReportScope } from './report-params';

/**
 * One program exit (PIRL-style fields). Case id only: no name, no customer id,
 * no free text, so a later records disposal (PersonalDataDisposed) leaves
 * every row, and so the digest, unchanged.
 */
export interface ExitRow {
  caseId: string;
  /** PIRL 901, date of program exit: the last day of service (R14 v2, R17). */
  exitDate: BusinessDate;
  program: string;
  careerCenterId: string;
  localAreaId: string;
  /** SOFT_EXIT: the calendar exit (R8, R17); CLOSURE: a closure with no soft exit before it (R14). */
  exitType: 'SOFT_EXIT' | 'CLOSURE';
  /** R14: the closure reason, where the case is closed. */
  closureReason: ClosureReason | null;
  /**
   * PIRL 923-style "other reason for exit": set when the exit was for a reason
   * other than lack of services or employment (R14 MOVED_OUT_OF_AREA,
   * CUSTOMER_WITHDREW, OTHER). The free-text explanation is never included.
   */
  otherReasonForExit: ClosureReason | null;
  /** When the exit was determined: the soft exit's detection, else the closure's approval. */
  detectedOn: BusinessDate;
  /** Days from the last qualifying contact (the exit date) to that determination. */
  daysFromLastQualifyingContactToDetection: number;
}

export interface ExitTotals {
  exits: number;
  byProgram: Record<string, number>;
  byCareerCenter: Record<string, number>;
  byExitType: Record<string, number>;
}

/** Everything the digest covers, in canonical (RFC 8785) form. */
export interface ExitReportContent {
  report: 'exits';
  version: 1;
  parameters: ExitReportParams & { scope: readonly string[] | 'ALL' };
  position: string;
  exits: ExitRow[];
  totals: ExitTotals;
}

export interface ExitReport extends ExitReportContent {
  /** SHA-256 (hex) of the canonical JSON of everything else in the answer. */
  digest: string;
}

const OTHER_REASONS: ReadonlySet<string> = new Set([
  'MOVED_OUT_OF_AREA',
  'CUSTOMER_WITHDREW',
  'OTHER',
]);

/** The exit a folded case shows, or null (active, or an exit reversed under R21). */
export function exitRowOf(state: CaseState): ExitRow | null {
  if (state.status === 'NONE' || state.exitDate === null || state.program === null) return null;
  if (state.status !== 'SOFT_EXITED' && state.status !== 'CLOSED') return null;
  const soft = state.programExit;
  const detectedOn = soft?.detectedOn ?? state.closedOn ?? state.exitDate;
  const reason = state.status === 'CLOSED' ? state.closureReason : null;
  return {
    caseId: state.caseId,
    exitDate: state.exitDate,
    program: state.program,
    careerCenterId: state.careerCenterId,
    localAreaId: state.localAreaId,
    exitType: soft ? 'SOFT_EXIT' : 'CLOSURE',
    closureReason: reason,
    otherReasonForExit: reason !== null && OTHER_REASONS.has(reason) ? reason : null,
    detectedOn,
    daysFromLastQualifyingContactToDetection: daysBetween(state.exitDate, detectedOn),
  };
}

export const inScope = (
  state: Pick<CaseState, 'careerCenterId'>,
  scope: ReportScope,
  careerCenterId: string | undefined,
): boolean =>
  (careerCenterId === undefined || state.careerCenterId === careerCenterId) &&
  (scope.centers === undefined || scope.centers.includes(state.careerCenterId));

const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

export const digestOf = (content: unknown): string =>
  createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');

/** Rows and totals from folded cases (pure: the same cases give the same bytes). */
export function exitReportFrom(
  cases: Iterable<CaseState>,
  params: ExitReportParams,
  scope: ReportScope,
  position: Position,
): ExitReport {
  const exits: ExitRow[] = [];
  for (const state of cases) {
    if (!inScope(state, scope, params.careerCenterId)) continue;
    const row = exitRowOf(state);
    if (!row || row.exitDate < params.from || row.exitDate > params.to) continue;
    if (params.program !== undefined && row.program !== params.program) continue;
    exits.push(row);
  }
  exits.sort((a, b) =>
    a.exitDate !== b.exitDate
      ? a.exitDate < b.exitDate
        ? -1
        : 1
      : a.caseId < b.caseId
        ? -1
        : a.caseId > b.caseId
          ? 1
          : 0,
  );
  const totals: ExitTotals = {
    exits: exits.length,
    byProgram: {},
    byCareerCenter: {},
    byExitType: {},
  };
  for (const row of exits) {
    count(totals.byProgram, row.program);
    count(totals.byCareerCenter, row.careerCenterId);
    count(totals.byExitType, row.exitType);
  }
  const parameters: ExitReportContent['parameters'] = {
    from: params.from,
    to: params.to,
    ...(params.careerCenterId !== undefined ? { careerCenterId: params.careerCenterId } : {}),
    ...(params.program !== undefined ? { program: params.program } : {}),
    scope: scope.centers ?? 'ALL',
  };
  const content: ExitReportContent = {
    report: 'exits',
    version: 1,
    parameters,
    position: positionToString(position),
    exits,
    totals,
  };
  return { ...content, digest: digestOf(content) };
}

/**
 * The exit report at `position`, folded from the log with the domain's own
 * `evolve` (never from a read model): the same parameters and position give
 * the same bytes whatever was appended since.
 */
export async function buildExitReport(
  store: EventStore,
  params: ExitReportParams,
  scope: ReportScope,
  position: Position,
  options: ScanOptions = {},
): Promise<ExitReport> {
  const cases = await foldCasesAt(store, position, options);
  return exitReportFrom(cases.values(), params, scope, position);
}

/** The JSON answer's bytes: canonical JSON, so a reproduced report is byte-identical. */
export const exitReportJson = (report: ExitReport): string => `${canonicalJson(report)}\n`;

export const EXIT_CSV_COLUMNS = [
  'caseId',
  'exitDate',
  'program',
  'careerCenterId',
  'localAreaId',
  'exitType',
  'closureReason',
  'otherReasonForExit',
  'detectedOn',
  'daysFromLastQualifyingContactToDetection',
] as const;

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One line per exit (RFC 4180, CRLF); position and digest travel in headers (and the JSON). */
export function exitReportCsv(report: ExitReport): string {
  const lines = [EXIT_CSV_COLUMNS.join(',')];
  for (const row of report.exits)
    lines.push(EXIT_CSV_COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
