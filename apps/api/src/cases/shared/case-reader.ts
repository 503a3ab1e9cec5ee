import { Inject, Injectable } from '@nestjs/common';
import { caseStreamId, forbidden, notFound, type Actor, type CaseState } from '@caseledger/domain';
import type { EventStore, RecordedEvent, VerifyResult } from '@caseledger/event-store';
import { EVENT_STORE, foldRecorded } from '@caseledger/platform';

/**
 * Reads are folded straight from the case stream (the log is the source of
 * truth). Customer data is visible to the case's own career center and the
 * centers a staff member is cleared for (R13); auditors and admins read all.
 */
export function assertMayRead(actor: Actor, state: CaseState): void {
  if (actor.role === 'auditor' || actor.role === 'admin') return;
  if (actor.careerCenterId === state.careerCenterId) return;
  if (actor.clearances?.includes(state.careerCenterId)) return;
  throw forbidden(
    'R13',
    `staff of ${actor.careerCenterId} may not read a case of ${state.careerCenterId}`,
  );
}

@Injectable()
export class CaseReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async events(actor: Actor, caseId: string, asOf?: Date): Promise<RecordedEvent[]> {
    const events = await this.store.readStream(
      caseStreamId(caseId),
      asOf ? { recordedUntil: asOf } : {},
    );
    if (events.length === 0) {
      throw notFound(
        asOf
          ? `case ${caseId} did not exist at ${asOf.toISOString()}`
          : `case ${caseId} does not exist`,
        ['caseId'],
      );
    }
    assertMayRead(
      actor,
      foldRecorded(asOf ? await this.store.readStream(caseStreamId(caseId)) : events),
    );
    return events;
  }

  async state(
    actor: Actor,
    caseId: string,
    asOf?: Date,
  ): Promise<{ state: CaseState; revision: number }> {
    const events = await this.events(actor, caseId, asOf);
    return { state: foldRecorded(events), revision: events[events.length - 1].revision };
  }

  async verify(actor: Actor, caseId: string): Promise<VerifyResult> {
    await this.events(actor, caseId);
    return this.store.verify(caseStreamId(caseId));
  }
}
