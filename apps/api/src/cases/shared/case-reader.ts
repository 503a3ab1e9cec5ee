import { Inject, Injectable } from '@nestjs/common';
import {
  actorMayRead,
  caseStreamId,
  notFound,
  type Actor,
  type CaseState,
} from '@caseledger/domain';
import type { EventStore, RecordedEvent, VerifyResult } from '@caseledger/event-store';
import { EVENT_STORE, POLICY_BOOK, foldRecorded, type PolicyLookup } from '@caseledger/platform';
import { asOfInstant, type AsOf } from '../../common/http/plausible-date';

/** The zone of an area no policy names (the default policy's). */
const FALLBACK_ZONE = 'America/Chicago';

/**
 * Reads are folded straight from the case stream (the log is the source of
 * truth). Customer data is visible to the case's own career center and the
 * centers a staff member is cleared for (R13); auditors and admins read all.
 */
export function assertMayRead(actor: Actor, state: CaseState): void {
  actorMayRead(actor, state.careerCenterId);
}

@Injectable()
export class CaseReader {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY_BOOK) private readonly policyOf: PolicyLookup,
  ) {}

  /**
   * The case's events, up to `asOf` when given. Who may read is judged on the
   * case as it stands now (R13); a date `asOf` means the end of that day in the
   * case's local area (DESIGN.md "asOf accepts a date (end of that local day)").
   */
  async events(
    actor: Actor,
    caseId: string,
    asOf?: AsOf,
  ): Promise<{ events: RecordedEvent[]; asOf?: Date }> {
    const all = await this.store.readStream(caseStreamId(caseId));
    if (all.length === 0) throw notFound(`case ${caseId} does not exist`, ['caseId']);
    const current = foldRecorded(all);
    assertMayRead(actor, current);
    if (!asOf) return { events: all };
    const zone = this.policyOf(current.localAreaId)?.timeZone ?? FALLBACK_ZONE;
    const until = asOfInstant(asOf, zone);
    // The same cut as the store's `recordedUntil` (recordedAt <= until), on the events read.
    const events = all.filter((e) => new Date(e.metadata.recordedAt) <= until);
    if (events.length === 0)
      throw notFound(`case ${caseId} did not exist at ${until.toISOString()}`, ['caseId']);
    return { events, asOf: until };
  }

  async state(
    actor: Actor,
    caseId: string,
    asOf?: AsOf,
  ): Promise<{ state: CaseState; revision: number; asOf?: Date }> {
    const { events, asOf: until } = await this.events(actor, caseId, asOf);
    return {
      state: foldRecorded(events),
      revision: events[events.length - 1].revision,
      ...(until ? { asOf: until } : {}),
    };
  }

  async verify(actor: Actor, caseId: string): Promise<VerifyResult> {
    await this.events(actor, caseId);
    return this.store.verify(caseStreamId(caseId));
  }
}
