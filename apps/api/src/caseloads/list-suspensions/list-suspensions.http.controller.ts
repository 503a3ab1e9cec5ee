import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { forbidden, type Actor } from '@caseledger/domain';
import { pendingSuspensionsOf, queryCaseload } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { SuspensionQueueDto, type SuspensionQueueCaseDto } from '../shared/caseload.response';
import { ReadModels } from '../shared/read-models.service';
import { ListSuspensionsQueryDto } from './list-suspensions.request.dto';

/**
 * DESIGN.md "Worklists": the suspensions awaiting review, oldest first. R16 v2:
 * a suspension is a pending request beside the status, so this is the review
 * queue of supervisors (and admins), whatever the cases' status.
 */
@Controller('api/v1/suspensions')
@ApiTags('caseloads')
export class ListSuspensionsHttpController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiOperation({
    operationId: 'listPendingSuspensions',
    summary: 'Suspensions for closure awaiting review, oldest first (supervisors, admins)',
    description:
      'Each case with its pending suspension: who asked (suspendedBy), why (reason, details) and since when (R16 v2). R13: the centers the caller may see.',
  })
  @ApiOkResponse({ type: SuspensionQueueDto })
  @ApiAuthProblems()
  async listPendingSuspensions(
    @Query() query: ListSuspensionsQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<SuspensionQueueDto> {
    // R16: an authorized manager reviews suspensions.
    if (actor.role !== 'supervisor' && actor.role !== 'admin')
      throw forbidden('R16', 'the suspension review queue is for supervisors and admins');
    if (query.careerCenterId !== undefined)
      this.readModels.assertMaySeeCenter(actor, query.careerCenterId);
    const visible = this.readModels.visibleCenters(actor);
    const page = await queryCaseload(this.readModels.sql, this.readModels.calendar(), {
      ...(query.careerCenterId !== undefined ? { careerCenterId: query.careerCenterId } : {}),
      ...(visible ? { visibleCareerCenters: visible } : {}),
      status: 'SUSPENDED',
      orderBy: 'suspendedSince',
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
    const suspensions = await pendingSuspensionsOf(
      this.readModels.sql,
      page.cases.map((c) => c.caseId),
    );
    const cases: SuspensionQueueCaseDto[] = [];
    for (const item of page.cases) {
      const suspension = suspensions.get(item.caseId);
      if (suspension) cases.push({ ...item, suspension });
    }
    return { ...page, cases, freshness: await this.readModels.withLag(page.freshness) };
  }
}
