import { addDays, compareDates, type BusinessDate } from '../shared/business-date';
import { DomainError, forbidden, refuse } from '../shared/errors';
import type { DecideContext } from '../policy/contact-policy';
import type { DisposePersonalData } from './case.commands';
import type { CaseEvent, PersonalDataDisposed } from './case.events';
import type { CaseState } from './case.state';

/**
 * Records retention (DESIGN.md "Additions": Records retention). Once every
 * case of a customer is CLOSED and older than the retention period, an admin
 * disposes of the customer's personal data: the shell destroys the
 * customer's data key (the events keep only ciphertext) and records
 * `PersonalDataDisposed` on each case stream. Status, dates, reasons and
 * counts stay; what was personal reads as PERSONAL_DATA_DISPOSED, never as
 * an error (the fold: `withoutPersonalData` in case.state.ts).
 */

/** `closedOn + retentionDays ≤ today` (today in the case's area zone, as for every decision). */
export function retentionElapsed(
  closedOn: BusinessDate,
  retentionDays: number,
  today: BusinessDate,
): boolean {
  return compareDates(addDays(closedOn, retentionDays), today) <= 0;
}

/** Why this case's personal data may not be disposed of today (undefined: it may). */
export function disposalRefusal(
  state: CaseState,
  retentionDays: number,
  today: BusinessDate,
): DomainError | undefined {
  if (state.status !== 'CLOSED' || state.closedOn === null)
    return new DomainError(
      'RETENTION',
      'conflict',
      `case ${state.caseId} is ${state.status}: personal data is disposed of only when every case of the customer is CLOSED`,
      ['customerId'],
    );
  if (!retentionElapsed(state.closedOn, retentionDays, today))
    return new DomainError(
      'RETENTION',
      'conflict',
      `case ${state.caseId} closed on ${state.closedOn}: the retention period of ${retentionDays} days runs until ${addDays(state.closedOn, retentionDays)} (today is ${today})`,
      ['customerId'],
    );
  return undefined;
}

/** The decision: admins only; CLOSED and past retention; a second disposal appends nothing. */
export function disposePersonalData(
  command: DisposePersonalData,
  state: CaseState,
  context: DecideContext,
): CaseEvent[] {
  if (context.actor.role !== 'admin')
    throw forbidden('RETENTION', 'only an admin disposes of personal data');
  if (state.personalDataDisposedOn !== undefined) return [];
  const d = command.data;
  if (!d.reason.trim()) throw refuse('RETENTION', 'a disposal needs a reason', ['reason']);
  if (!d.retentionRule.trim())
    throw refuse('RETENTION', 'a disposal names the retention rule it applies', ['retentionRule']);
  const refusal = disposalRefusal(state, d.retentionDays, context.today);
  if (refusal) throw refusal;
  const event: PersonalDataDisposed = {
    type: 'PersonalDataDisposed',
    data: {
      caseId: state.caseId,
      customerId: d.customerId,
      disposedOn: context.today,
      reason: d.reason,
      retentionRule: d.retentionRule,
    },
  };
  return [event];
}
