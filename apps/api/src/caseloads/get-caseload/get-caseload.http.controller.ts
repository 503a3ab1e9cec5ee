import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { defaultPolicy, type Actor } from '@caseledger/domain';
import type { EventStore } from '@caseledger/event-store';
import {
  CLOCK,
  EVENT_STORE,
  POLICY_BOOK,
  asOfInstant,
  type Clock,
  type PolicyLookup,
} from '@caseledger/platform';
import { caseloadAsOf, queryCaseload } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { validationProblem } from '../../common/problems/problem-details';
import { parseAsOf } from '../../common/http/plausible-date';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { CaseManagerCaseloadDto } from '../shared/caseload.response';
import { CaseloadQueryDto } from './get-caseload.request.dto';
import { ReadModels } from '../shared/read-models.service';

const STAFF_ID = /^[\w.@:-]{1,128}$/;

@Controller('api/v1/caseloads')
@ApiTags('caseloads')
export class GetCaseloadHttpController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY_BOOK) private readonly policyOf: PolicyLookup,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':caseManagerId')
  @ApiOperation({
    summary: "A case manager's caseload, nearest deadline first",
    description:
      'Served from the caseload projection; `freshness` says which store position it was built to and how many events it is behind. Staff see cases of their own career center and the centers they are cleared for (R13); auditors and admins see all.',
  })
  @ApiParam({ name: 'caseManagerId', description: 'Staff id of the case manager' })
  @ApiOkResponse({ type: CaseManagerCaseloadDto })
  @ApiAuthProblems()
  async caseload(
    @Param('caseManagerId') caseManagerId: string,
    @Query() paging: CaseloadQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseManagerCaseloadDto> {
    if (!STAFF_ID.test(caseManagerId)) {
      throw validationProblem('caseManagerId is not a staff id', [
        { field: 'caseManagerId', message: 'letters, digits and . _ @ : - (at most 128)' },
      ]);
    }
    const visible = this.readModels.visibleCenters(actor);
    // Strict and in range first (400 naming asOf), like every route that takes one.
    const asOfParsed = parseAsOf(paging.asOf, this.clock.now());
    if (asOfParsed !== undefined) {
      // The caseload as it stood then, folded from the log (the live table only knows now).
      const asOf = asOfInstant(asOfParsed, defaultPolicy('*').timeZone);
      const page = await caseloadAsOf(this.store, {
        caseManagerId,
        asOf,
        ...(visible ? { visibleCareerCenters: visible } : {}),
        timeZoneOf: (area) => (this.policyOf(area) ?? defaultPolicy(area)).timeZone,
        page: paging.page ?? 1,
        pageSize: paging.pageSize ?? 50,
      });
      return {
        caseManagerId,
        ...page,
        asOf: asOf.toISOString(),
      } as unknown as CaseManagerCaseloadDto;
    }
    const page = await queryCaseload(this.readModels.sql, this.readModels.calendar(), {
      caseManagerId,
      ...(visible ? { visibleCareerCenters: visible } : {}),
      // DESIGN.md "Worklists": ?status=&overdue=&dueWithinDays=&tickler= on a caseload too.
      ...(paging.careerCenterId !== undefined ? { careerCenterId: paging.careerCenterId } : {}),
      ...(paging.status !== undefined ? { status: paging.status } : {}),
      ...(paging.overdue !== undefined ? { overdue: paging.overdue === 'true' } : {}),
      ...(paging.dueWithinDays !== undefined ? { dueWithinDays: paging.dueWithinDays } : {}),
      ...(paging.tickler !== undefined ? { tickler: paging.tickler } : {}),
      page: paging.page ?? 1,
      pageSize: paging.pageSize ?? 50,
    });
    return { caseManagerId, ...page, freshness: await this.readModels.withLag(page.freshness) };
  }
}
