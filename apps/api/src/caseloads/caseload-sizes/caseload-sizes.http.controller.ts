import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { forbidden, type Actor } from '@caseledger/domain';
import { queryCaseloadSizes, readFreshness } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { CaseloadSizesDto } from '../shared/caseload.response';
import { ReadModels } from '../shared/read-models.service';
import { ListSuspensionsQueryDto } from '../list-suspensions/list-suspensions.request.dto';

/** DESIGN.md "Worklists": caseload size per case manager, for supervisors balancing work. */
@Controller('api/v1/caseload-sizes')
@ApiTags('caseloads')
export class CaseloadSizesHttpController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOperation({
    operationId: 'listCaseloadSizes',
    summary: 'Caseload size per case manager, largest first (supervisors, auditors, admins)',
    description:
      "Counts per case manager of open, active, soft-exited cases, pending suspensions (R16 v2), contact-overdue (R9, in each area's today) and follow-ups owed (R19/R20). R13: the centers the caller may see.",
  })
  @ApiOkResponse({ type: CaseloadSizesDto })
  @ApiAuthProblems()
  async sizes(
    @Query() query: ListSuspensionsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseloadSizesDto> {
    if (actor.role === 'case_manager')
      throw forbidden('R13', 'caseload sizes across case managers are for supervisors');
    if (query.careerCenterId !== undefined)
      this.readModels.assertMaySeeCenter(actor, query.careerCenterId);
    const visible = this.readModels.visibleCenters(actor);
    const caseManagers = await queryCaseloadSizes(this.readModels.sql, this.readModels.calendar(), {
      ...(query.careerCenterId !== undefined ? { careerCenterId: query.careerCenterId } : {}),
      ...(visible ? { visibleCareerCenters: visible } : {}),
    });
    const freshness = await readFreshness(this.readModels.sql);
    return { caseManagers, freshness: await this.readModels.withLag(freshness) };
  }
}
