import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { queryCaseload } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { validationProblem } from '../../common/problems/problem-details';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { CaseManagerCaseloadDto } from '../shared/caseload.response';
import { ListCaseloadsQueryDto } from '../list-caseloads/list-caseloads.request.dto';
import { ReadModels } from '../shared/read-models.service';

const STAFF_ID = /^[\w.@:-]{1,128}$/;

@Controller('api/v1/caseloads')
@ApiTags('caseloads')
export class GetCaseloadHttpController {
  constructor(private readonly readModels: ReadModels) {}

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
    @Query() paging: ListCaseloadsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseManagerCaseloadDto> {
    if (!STAFF_ID.test(caseManagerId)) {
      throw validationProblem('caseManagerId is not a staff id', [
        { field: 'caseManagerId', message: 'letters, digits and . _ @ : - (at most 128)' },
      ]);
    }
    const visible = this.readModels.visibleCenters(actor);
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
