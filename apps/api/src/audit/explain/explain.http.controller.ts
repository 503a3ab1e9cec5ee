import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { caseStreamId, defaultPolicy, notFound, type Actor } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import {
  CLOCK,
  EVENT_STORE,
  POLICY_BOOK,
  asOfInstant,
  type Clock,
  explainCase,
  foldRecorded,
  type CaseExplanation,
  type PolicyLookup,
} from '@caseledger/platform';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { validationProblem } from '../../common/problems/problem-details';
import { parseAsOf } from '../../common/http/plausible-date';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { assertMayRead } from '../../cases/shared/case-reader';

@Controller('api/v1/cases')
@ApiTags('case queries')
export class ExplainHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY_BOOK) private readonly policyOf: PolicyLookup,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':caseId/explain')
  @ApiOperation({
    summary: 'Why the case stands where it does',
    description:
      'Each deadline (contactDueOn, softExitDueOn, followUpDueOn) and any exit or closure, with its rule ids, the policy (id, version, terms) and the events it rests on — the last qualifying contact, the planned gaps counted, the attempts and outreach that did not count and why — as data and as plain sentences. `asOf`: a date (the end of that day in the area) or an ISO-8601 timestamp.',
  })
  @ApiQuery({ name: 'asOf', required: false, description: 'YYYY-MM-DD or ISO-8601 timestamp' })
  @ApiOkResponse({
    description:
      '{caseId, revision, status, policy, deadlines[], notCounted[], exit, closure, sentences[]}',
  })
  @ApiAuthProblems()
  async explain(
    @Param('caseId', IdParamPipe) caseId: string,
    @Query('asOf') asOfText: unknown,
    @CurrentActor() actor: Actor,
  ): Promise<CaseExplanation> {
    if (asOfText !== undefined && typeof asOfText !== 'string') {
      throw validationProblem('asOf must be given once', [{ field: 'asOf', message: 'one value' }]);
    }
    // Strict and in range (400 naming asOf) before anything is read.
    const asOfParsed = parseAsOf(asOfText, this.clock.now());
    const all = await this.store.readStream(caseStreamId(caseId));
    if (all.length === 0) throw notFound(`case ${caseId} does not exist`, ['caseId']);
    const current = foldRecorded(all);
    // R13 (v2): need-to-know follows the case's current center.
    assertMayRead(actor, current);
    let asOf: Date | undefined;
    if (asOfParsed !== undefined) {
      const zone = (this.policyOf(current.localAreaId) ?? defaultPolicy(current.localAreaId))
        .timeZone;
      asOf = asOfInstant(asOfParsed, zone);
    }
    const events = asOf
      ? all.filter((e) => Date.parse(e.metadata.recordedAt) <= asOf.getTime())
      : all;
    if (events.length === 0) {
      throw notFound(`case ${caseId} did not exist at ${asOf!.toISOString()}`, ['caseId']);
    }
    return explainCase(caseId, events, asOf);
  }
}
