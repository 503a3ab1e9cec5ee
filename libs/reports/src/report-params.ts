import {
  LATE_ENTRY_POLICIES,
  PROGRAMS,
  isBusinessDate,
  visibleCenters,
  type Actor,
  type BusinessDate,
  type ContactPolicy,
  type LateEntryPolicy,
  type Program,
} from '@caseledger/domain';
import { parsePosition, type EventStore, type Position } from '@caseledger/event-store';

export interface ReportFieldError {
  field: string;
  message: string;
}

/** A report request that cannot be answered as asked: the HTTP edge makes it a 400, the CLI exit 2. */
export class ReportRequestError extends Error {
  constructor(
    message: string,
    readonly errors: ReportFieldError[],
  ) {
    super(message);
    this.name = 'ReportRequestError';
  }
}

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Whose cases a report covers (R13 v2: every listing and report is
 * need-to-know). `centers` undefined: every center (auditors, admins, the CLI).
 */
export interface ReportScope {
  centers?: readonly string[];
}

export function scopeOf(actor: Actor | undefined): ReportScope {
  // R13 v2: the domain's one read-visibility rule (undefined: every center).
  const centers = actor === undefined ? undefined : visibleCenters(actor);
  return centers === undefined ? {} : { centers: [...centers].sort() };
}

export interface PeriodParams {
  from: BusinessDate;
  to: BusinessDate;
  careerCenterId?: string;
}

export interface ExitReportParams extends PeriodParams {
  program?: Program;
}

function dateField(
  field: string,
  value: unknown,
  errors: ReportFieldError[],
): BusinessDate | undefined {
  if (value === undefined || value === null || value === '') {
    errors.push({ field, message: 'required: a date written YYYY-MM-DD' });
    return undefined;
  }
  if (!isBusinessDate(value)) {
    errors.push({ field, message: 'expected a real date written YYYY-MM-DD' });
    return undefined;
  }
  if (value < '1990-01-01' || value > '2199-12-31') {
    errors.push({ field, message: 'out of range (1990-01-01 to 2199-12-31)' });
    return undefined;
  }
  return value;
}

function period(input: Record<string, unknown>, errors: ReportFieldError[]): PeriodParams {
  const from = dateField('from', input.from, errors);
  const to = dateField('to', input.to, errors);
  if (from && to && from > to) errors.push({ field: 'from', message: 'must be on or before to' });
  const params = { from: from ?? '', to: to ?? '' } as PeriodParams;
  const center = input.careerCenterId;
  if (center !== undefined) {
    if (typeof center !== 'string' || !ID.test(center))
      errors.push({ field: 'careerCenterId', message: 'expected an id' });
    else params.careerCenterId = center;
  }
  return params;
}

function refuseUnknown(
  input: Record<string, unknown>,
  known: readonly string[],
  errors: ReportFieldError[],
): void {
  for (const key of Object.keys(input))
    if (!known.includes(key))
      errors.push({ field: key, message: `unknown parameter (known: ${known.join(', ')})` });
}

export const EXIT_REPORT_PARAMETERS = [
  'from',
  'to',
  'careerCenterId',
  'program',
  'atPosition',
  'format',
] as const;

export interface ParsedExitRequest {
  params: ExitReportParams;
  atPosition?: Position;
  format?: 'json' | 'csv';
}

/** Checks an exit report request (query string or CLI options); throws listing every bad field. */
export function parseExitRequest(input: Record<string, unknown>): ParsedExitRequest {
  const errors: ReportFieldError[] = [];
  refuseUnknown(input, EXIT_REPORT_PARAMETERS, errors);
  const params: ExitReportParams = period(input, errors);
  if (input.program !== undefined) {
    if (!(PROGRAMS as readonly unknown[]).includes(input.program))
      errors.push({ field: 'program', message: `expected one of ${PROGRAMS.join(', ')} (R1)` });
    else params.program = input.program as Program;
  }
  const parsed: ParsedExitRequest = { params };
  const at = parsePositionField(input.atPosition, errors);
  if (at) parsed.atPosition = at;
  if (input.format !== undefined) {
    if (input.format !== 'json' && input.format !== 'csv')
      errors.push({ field: 'format', message: 'expected json or csv' });
    else parsed.format = input.format;
  }
  if (errors.length > 0) throw new ReportRequestError('invalid exit report request', errors);
  return parsed;
}

export function parsePositionField(
  value: unknown,
  errors: ReportFieldError[],
  field = 'atPosition',
): Position | undefined {
  if (value === undefined) return undefined;
  try {
    if (typeof value === 'string') return parsePosition(value);
  } catch {
    // reported below
  }
  errors.push({
    field,
    message: 'expected a store position such as 1234/5 (a report\'s "position")',
  });
  return undefined;
}

/**
 * The position a report is computed at: the one asked for, which must lie
 * within the store (a position beyond its end could later gain events, so its
 * answer would not be reproducible), or the store's end now.
 */
export async function pinPosition(
  store: EventStore,
  asked: Position | undefined,
): Promise<Position> {
  const head = (await store.headPosition()) ?? { commit: 0n, prepare: 0n };
  if (asked === undefined) return head;
  if (asked.commit > head.commit || (asked.commit === head.commit && asked.prepare > head.prepare))
    throw new ReportRequestError("atPosition lies beyond the store's end", [
      {
        field: 'atPosition',
        message: `beyond the store's end (${head.commit}/${head.prepare}): a report is only pinned to a position the store has reached`,
      },
    ]);
  return asked;
}

/** The policy terms a what-if replays under (DESIGN.md "Additions": POST /api/v1/reports/what-if). */
export interface PolicyOverrides {
  /** R9: the local contact standard. */
  contactIntervalDays?: number;
  /** R8: days without a qualifying contact before the case soft exits. */
  softExitAfterDays?: number;
  /** R21: what a late entry after a soft exit does. */
  lateEntryAfterSoftExit?: LateEntryPolicy;
  /** Another configured policy, whole (its policy id or its local area id). */
  policyId?: string;
}

export interface WhatIfParams extends PeriodParams {
  policyOverrides: PolicyOverrides;
  /** The configured policy `policyId` names, resolved. */
  policy?: ContactPolicy;
}

export interface ParsedWhatIfRequest {
  params: WhatIfParams;
  atPosition?: Position;
}

const OVERRIDES = [
  'contactIntervalDays',
  'softExitAfterDays',
  'lateEntryAfterSoftExit',
  'policyId',
] as const;

/** Checks a what-if request (JSON body or CLI options); throws listing every bad field. */
export function parseWhatIfRequest(
  input: Record<string, unknown>,
  policies: readonly ContactPolicy[],
): ParsedWhatIfRequest {
  const errors: ReportFieldError[] = [];
  refuseUnknown(input, ['policyOverrides', 'from', 'to', 'careerCenterId', 'atPosition'], errors);
  const base = period(input, errors);
  const raw = input.policyOverrides;
  const overrides: PolicyOverrides = {};
  let policy: ContactPolicy | undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    errors.push({ field: 'policyOverrides', message: 'required: an object of policy terms' });
  } else {
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o))
      if (!(OVERRIDES as readonly string[]).includes(key))
        errors.push({
          field: `policyOverrides.${key}`,
          message: `unknown term (known: ${OVERRIDES.join(', ')})`,
        });
    for (const key of ['contactIntervalDays', 'softExitAfterDays'] as const) {
      const value = o[key];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 730)
        errors.push({ field: `policyOverrides.${key}`, message: 'expected whole days, 1 to 730' });
      else overrides[key] = value;
    }
    if (o.lateEntryAfterSoftExit !== undefined) {
      if (!(LATE_ENTRY_POLICIES as readonly unknown[]).includes(o.lateEntryAfterSoftExit))
        errors.push({
          field: 'policyOverrides.lateEntryAfterSoftExit',
          message: `expected one of ${LATE_ENTRY_POLICIES.join(', ')} (R21)`,
        });
      else overrides.lateEntryAfterSoftExit = o.lateEntryAfterSoftExit as LateEntryPolicy;
    }
    if (o.policyId !== undefined) {
      policy = policies.find((p) => p.policyId === o.policyId || p.localAreaId === o.policyId);
      if (!policy)
        errors.push({
          field: 'policyOverrides.policyId',
          message: `no configured policy ${JSON.stringify(o.policyId)} (known: ${policies.map((p) => p.policyId).join(', ')})`,
        });
      else overrides.policyId = policy.policyId;
    }
    if (
      overrides.contactIntervalDays !== undefined &&
      overrides.softExitAfterDays !== undefined &&
      overrides.contactIntervalDays > overrides.softExitAfterDays
    )
      errors.push({
        field: 'policyOverrides.contactIntervalDays',
        message: 'must not exceed softExitAfterDays (R9: more frequent contact, never less)',
      });
  }
  const params: WhatIfParams = { ...base, policyOverrides: overrides };
  if (policy) params.policy = policy;
  const parsed: ParsedWhatIfRequest = { params };
  const at = parsePositionField(input.atPosition, errors);
  if (at) parsed.atPosition = at;
  if (errors.length > 0) throw new ReportRequestError('invalid what-if request', errors);
  return parsed;
}
