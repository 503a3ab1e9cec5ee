import { Inject, Injectable } from '@nestjs/common';
import { forbidden, type Actor } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import { AREA_POLICIES, EVENT_STORE, POLICY_BOOK, type PolicyLookup } from '@caseledger/platform';
import { ReportRequestError, scopeOf, type ReportScope } from '@caseledger/reports';
import type { ContactPolicy, PolicyBook } from '@caseledger/domain';
import { validationProblem } from '../common/problems/problem-details';

/** What the report routes share: the log, the policies, R13 scoping and the edge's 400s. */
@Injectable()
export class ReportsService {
  readonly policies: readonly ContactPolicy[];

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(POLICY_BOOK) readonly policyOf: PolicyLookup,
    @Inject(AREA_POLICIES) book: PolicyBook,
  ) {
    // The process's one policy book (PlatformModule loads it once).
    this.policies = book.policies;
  }

  /**
   * R13 v2: case managers and supervisors report on their own and cleared
   * centers; asking for another center is a 403, never an empty report.
   */
  scope(actor: Actor, careerCenterId: string | undefined): ReportScope {
    const scope = scopeOf(actor);
    if (scope.centers && careerCenterId !== undefined && !scope.centers.includes(careerCenterId))
      throw forbidden(
        'R13',
        `staff of ${actor.careerCenterId} may not report on cases of ${careerCenterId}`,
      );
    return scope;
  }

  /** Runs `work`, turning a bad report request into a problem+json 400. */
  async edge<T>(work: () => Promise<T> | T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReportRequestError) throw validationProblem(error.message, error.errors);
      throw error;
    }
  }
}
