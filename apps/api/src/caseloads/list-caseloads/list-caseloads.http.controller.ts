import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { queryCaseload } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { CaseloadPageDto } from '../shared/caseload.response';
import { ReadModels } from '../shared/read-models.service';
import { ListCaseloadsQueryDto } from './list-caseloads.request.dto';

@Controller('api/v1/caseloads')
@ApiTags('caseloads')
export class ListCaseloadsHttpController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOperation({
    summary: "Supervisors' filtered caseload listing, nearest deadline first",
    description:
      "Filters by career center, status, contact-overdue (R9, in each area's time zone today) and deadlines due within N days. A career center outside the caller's own and cleared ones is 403 (R13); auditors and admins see all.",
  })
  @ApiOkResponse({ type: CaseloadPageDto })
  @ApiAuthProblems()
  async listCaseloads(
    @Query() query: ListCaseloadsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseloadPageDto> {
    if (query.careerCenterId !== undefined)
      this.readModels.assertMaySeeCenter(actor, query.careerCenterId);
    const visible = this.readModels.visibleCenters(actor);
    const page = await queryCaseload(this.readModels.sql, this.readModels.calendar(), {
      ...(query.careerCenterId !== undefined ? { careerCenterId: query.careerCenterId } : {}),
      ...(visible ? { visibleCareerCenters: visible } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.overdue !== undefined ? { overdue: query.overdue === 'true' } : {}),
      ...(query.dueWithinDays !== undefined ? { dueWithinDays: query.dueWithinDays } : {}),
      ...(query.tickler !== undefined ? { tickler: query.tickler } : {}),
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
    return { ...page, freshness: await this.readModels.withLag(page.freshness) };
  }
}
