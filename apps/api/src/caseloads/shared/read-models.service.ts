import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { actorMayRead, visibleCenters, type Actor } from '@caseledger/domain';
import { parsePosition, type EventStore, type SqlClient } from '@caseledger/event-store';
import { AREA_POLICIES, CLOCK, EVENT_STORE, SQL_CLIENT, type Clock } from '@caseledger/platform';
import {
  areaCalendar,
  measureLag,
  migrateProjections,
  type AreaCalendar,
  type AreaPolicies,
  type Freshness,
} from '@caseledger/projections';

/** A caseload answer says how fresh it is: the position it was built to and the events behind. */
export interface FreshnessWithLag extends Freshness {
  eventsBehind: number;
}

/**
 * The read side's shared pieces: the SQL client the projections write, today
 * per local area (from the clock and the policies: `contactOverdue` is derived
 * at query time), who may see which career center, and freshness.
 */
@Injectable()
export class ReadModels implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AREA_POLICIES) private readonly policies: AreaPolicies,
  ) {}

  /** The API may start before any worker: the tables exist either way (idempotent migrations). */
  async onModuleInit(): Promise<void> {
    await migrateProjections(this.sql);
  }

  calendar(): AreaCalendar {
    return areaCalendar(this.policies, this.clock.now());
  }

  /** R13 (domain rule): staff see their own center and the centers they are cleared for; auditors and admins all. */
  visibleCenters(actor: Actor): readonly string[] | undefined {
    return visibleCenters(actor);
  }

  assertMaySeeCenter(actor: Actor, careerCenterId: string): void {
    actorMayRead(actor, careerCenterId, 'the caseload');
  }

  async withLag(freshness: Freshness, projection = 'caseload'): Promise<FreshnessWithLag> {
    const lag = await measureLag(this.store, projection, parsePosition(freshness.position), 1000);
    return { ...freshness, eventsBehind: lag.eventsBehind };
  }
}
