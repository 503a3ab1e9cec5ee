import {
  DomainError,
  businessDateAt,
  caseStreamId,
  defaultPolicy,
  disposalRefusal,
  forbidden,
  notFound,
  type Actor,
  type BusinessDate,
} from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import type { Clock } from '../clock/clock';
import type { CaseCommandExecutor } from '../executor/case-command-executor';
import { nameBasedUuid } from '../executor/deterministic-id';
import { foldRecorded, type PolicyLookup } from '../executor/domain-bridge';
import { isEnvelope } from './envelope';
import { mapPersonalFields } from './personal-fields';
import { PersonalDataEventStore, storedForm } from './personal-data.event-store';

export interface DisposeCustomerInput {
  customerId: string;
  reason: string;
  retentionRule: string;
  actor: Actor;
  correlationId: string;
}

export interface DisposeCustomerResult {
  customerId: string;
  /** DISPOSED: done now; ALREADY_DISPOSED: an earlier disposal, nothing appended. */
  outcome: 'DISPOSED' | 'ALREADY_DISPOSED';
  disposedOn: string;
  cases: Array<{ caseId: string; revision: number; appended: boolean }>;
}

const CASE_PREFIX = caseStreamId('');

/**
 * Disposal of a customer's personal data (README "Records retention"): every
 * case of the customer is CLOSED and past PERSONAL_DATA_RETENTION_DAYS, or
 * nothing happens. Then `PersonalDataDisposed` goes onto each case stream
 * (through the executor: optimistic concurrency, deterministic event ids, so
 * a repeat appends nothing) and, last, the data key is destroyed. A disposal
 * cut short between the two is completed by running it again.
 */
export class CustomerDisposal {
  constructor(
    private readonly store: EventStore,
    private readonly executor: CaseCommandExecutor,
    private readonly policyOf: PolicyLookup,
    private readonly clock: Clock,
    private readonly retentionDays: number,
  ) {}

  async dispose(input: DisposeCustomerInput): Promise<DisposeCustomerResult> {
    if (input.actor.role !== 'admin')
      throw forbidden('RETENTION', 'only an admin disposes of personal data');
    if (!(this.store instanceof PersonalDataEventStore))
      throw new DomainError(
        'RETENTION',
        'conflict',
        'personal data is not encrypted here (no PERSONAL_DATA_MASTER_KEY): it cannot be disposed of without rewriting the log',
      );
    const keys = this.store.keys;
    const customerKeys = await keys.keysOfCustomer(input.customerId);
    if (customerKeys.length === 0)
      throw notFound(`no personal data is held for customer ${input.customerId}`, ['customerId']);
    const live = customerKeys.find((k) => k.disposedOn === undefined);
    if (!live) {
      const streams = (await Promise.all(customerKeys.map((k) => keys.streamsOf(k.keyId)))).flat();
      return {
        customerId: input.customerId,
        outcome: 'ALREADY_DISPOSED',
        disposedOn: customerKeys[0].disposedOn!,
        cases: await Promise.all(
          streams.map(async (streamId) => ({
            caseId: streamId.slice(CASE_PREFIX.length),
            revision: (await this.store.readStream(streamId)).length - 1,
            appended: false,
          })),
        ),
      };
    }

    // Every case first: a refusal for one case leaves all of them untouched.
    const stored = storedForm(this.store);
    const cases: Array<{ caseId: string; today: BusinessDate }> = [];
    for (const streamId of await keys.streamsOf(live.keyId)) {
      const raw = await stored.readStream(streamId);
      const opened = (raw[0]?.data as { customer?: { id?: unknown } } | undefined)?.customer?.id;
      // A registration left by an OpenCase that lost its race names another customer's stream.
      if (!isEnvelope(opened) || opened.kid !== live.keyId) {
        if (typeof opened !== 'string' || opened !== input.customerId) continue;
      }
      const plaintext = raw.reduce((n, e) => n + plaintextFields(e.type, e.data), 0);
      if (plaintext > 0)
        throw new DomainError(
          'RETENTION',
          'conflict',
          `case ${streamId.slice(CASE_PREFIX.length)} holds ${plaintext} personal field(s) written in clear before encryption was configured: destroying the key cannot dispose of them (README "Personal data", migration)`,
          ['customerId'],
        );
      const state = foldRecorded(await this.store.readStream(streamId));
      const policy = this.policyOf(state.localAreaId) ?? defaultPolicy(state.localAreaId);
      const today = businessDateAt(this.clock.now(), policy.timeZone);
      if (state.personalDataDisposedOn === undefined) {
        const refusal = disposalRefusal(state, this.retentionDays, today);
        if (refusal) throw refusal;
      }
      cases.push({ caseId: streamId.slice(CASE_PREFIX.length), today });
    }
    if (cases.length === 0)
      throw notFound(`no case of customer ${input.customerId} was found`, ['customerId']);

    const answers: DisposeCustomerResult['cases'] = [];
    for (const { caseId } of cases) {
      const result = await this.executor.execute({
        caseId,
        command: {
          type: 'DisposePersonalData',
          data: {
            customerId: input.customerId,
            reason: input.reason,
            retentionRule: input.retentionRule,
            retentionDays: this.retentionDays,
          },
        },
        actor: input.actor,
        commandId: nameBasedUuid('dispose-personal-data', live.keyId, caseId),
        correlationId: input.correlationId,
      });
      answers.push({
        caseId,
        revision: result.revision,
        appended: !result.repeated && result.events.length > 0,
      });
    }
    const disposedOn = cases[0].today;
    await keys.dispose(live.keyId, {
      disposedOn,
      disposedBy: input.actor.staffId,
      reason: input.reason,
      retentionRule: input.retentionRule,
    });
    return { customerId: input.customerId, outcome: 'DISPOSED', disposedOn, cases: answers };
  }
}

/** Personal fields of a stored event that are in clear (non-empty, not an envelope). */
export function plaintextFields(type: string, data: unknown): number {
  let n = 0;
  mapPersonalFields(type, data, (value) => {
    if (typeof value === 'string' && value !== '') n += 1;
    return value;
  });
  return n;
}
