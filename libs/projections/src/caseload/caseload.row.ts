import { PERSONAL_DATA_DISPOSED } from '@caseledger/domain';
import type {
  BusinessDate,
  CaseState,
  CaseStatus,
  ClosureReason,
  Program,
} from '@caseledger/domain';

/**
 * One caseload row, derived from the domain's own folded state: the
 * deadlines here are the ones `evolve` computed, so the read model and the
 * decider can never disagree. `contactOverdue` is not a column: it depends on
 * today's date in the area's zone and is derived at query time (R9).
 */
export interface CaseloadRow {
  caseId: string;
  customerId: string;
  customerName: string;
  program: Program;
  localAreaId: string;
  careerCenterId: string;
  caseManagerId: string;
  status: CaseStatus;
  openedOn: BusinessDate;
  lastQualifyingContactOn: BusinessDate | null;
  /** R9: the local area's tickler date. */
  contactDueOn: BusinessDate | null;
  /** R8/R10: the case soft exits once the local date is after it. */
  softExitDueOn: BusinessDate | null;
  /** R19: employment follow-up due, until a follow-up contact verifies it. */
  followUpDueOn: BusinessDate | null;
  /** The nearest of the three deadlines, for "sorted by the nearest deadline". */
  nextDueOn: BusinessDate | null;
  /** R11: barriers not yet overcome. */
  openBarriers: number;
  /** R11: barriers recorded with a blank plan (a compliance finding). */
  barriersWithoutPlan: string[];
  /** R7: letters and e-mails sent and not yet answered by the customer. */
  outreachAwaitingResponse: number;
  /** R16 v2: the date a pending suspension for closure was asked for (beside the status). */
  suspendedSince: BusinessDate | null;
  suspensionReason: ClosureReason | null;
  /** R14 v2/R17: the program exit date (last day of service). */
  exitDate: BusinessDate | null;
  /** R14 v2: the day the closure was approved. */
  closedOn: BusinessDate | null;
  closureReason: ClosureReason | null;
  /** R19: when the employment was verified by a follow-up contact. */
  employmentStartDate: BusinessDate | null;
  followUpVerifiedOn: BusinessDate | null;
  /** R20: the last day of the twelve-month follow-up. */
  followUpUntil: BusinessDate | null;
}

const earliest = (dates: Array<BusinessDate | null>): BusinessDate | null =>
  dates.reduce<BusinessDate | null>(
    (min, d) => (d !== null && (min === null || d < min) ? d : min),
    null,
  );

/** The name a case manager needs; the marker alone once disposed of (records retention). */
function customerNameOf(state: CaseState): string {
  const customer = state.customer;
  if (!customer) return '';
  // The key may be gone before the projector reaches PersonalDataDisposed: the fields read as the marker.
  if (
    state.personalDataDisposedOn !== undefined ||
    (customer.firstName === PERSONAL_DATA_DISPOSED && customer.lastName === PERSONAL_DATA_DISPOSED)
  )
    return PERSONAL_DATA_DISPOSED;
  return `${customer.firstName} ${customer.lastName}`.trim();
}

/** The row of a case, or null before `CaseOpened` (nothing to list). */
export function caseloadRowOf(state: CaseState): CaseloadRow | null {
  if (state.status === 'NONE' || state.program === null || state.openedOn === null) return null;
  const customer = state.customer;
  return {
    caseId: state.caseId,
    customerId: customer?.id ?? '',
    customerName: customerNameOf(state),
    program: state.program,
    localAreaId: state.localAreaId,
    careerCenterId: state.careerCenterId,
    caseManagerId: state.caseManagerId,
    status: state.status,
    openedOn: state.openedOn,
    lastQualifyingContactOn: state.lastQualifyingContactOn,
    contactDueOn: state.contactDueOn,
    softExitDueOn: state.softExitDueOn,
    followUpDueOn: state.followUpDueOn,
    nextDueOn: earliest([state.contactDueOn, state.softExitDueOn, state.followUpDueOn]),
    openBarriers: state.barriers.filter((b) => b.status === 'OPEN').length,
    barriersWithoutPlan: state.barriers
      .filter((b) => typeof b.plan !== 'string' || b.plan.trim() === '')
      .map((b) => b.barrierId),
    outreachAwaitingResponse: state.contacts.filter((c) => c.awaitingResponse === true).length,
    suspendedSince: state.suspension?.suspendedOn ?? null,
    suspensionReason: state.suspension?.reason ?? null,
    exitDate: state.exitDate,
    closedOn: state.closedOn ?? null,
    closureReason: state.closureReason,
    employmentStartDate: state.employment?.startDate ?? null,
    followUpVerifiedOn: state.employment?.verifiedOn ?? null,
    followUpUntil: state.followUp?.until ?? null,
  };
}
