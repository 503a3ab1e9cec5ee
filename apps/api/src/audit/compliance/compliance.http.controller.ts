import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { queryCompliance } from '@caseledger/projections';
import { AllowRoles, CurrentActor } from '../../common/auth/auth.decorators';
import { validationProblem } from '../../common/problems/problem-details';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { ReadModels } from '../../caseloads/shared/read-models.service';
import { ComplianceQueryDto } from './compliance.request.dto';
import { ComplianceReportDto } from './compliance.response';

@Controller('api/v1/audit')
@ApiTags('audit')
export class ComplianceHttpController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('compliance')
  @AllowRoles('auditor', 'supervisor', 'admin')
  @ApiOperation({
    summary: 'Compliance findings from the read models',
    description:
      "Derived at query time from the caseload projection and each local area's today: soft exits not fired, contact-overdue cases per area (R9), suspensions awaiting review too long, employment closures without a verified follow-up (R19), barriers without a plan (R11). Supervisors see cases of their own and cleared career centers (R13); auditors and admins see all.",
  })
  @ApiOkResponse({ type: ComplianceReportDto })
  @ApiAuthProblems()
  async getComplianceReport(
    @Query() query: ComplianceQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<ComplianceReportDto> {
    if (query.from && query.to && query.from > query.to) {
      throw validationProblem('from is after to', [
        { field: 'from', message: 'must be on or before to' },
      ]);
    }
    const visible = this.readModels.visibleCenters(actor);
    const report = await queryCompliance(this.readModels.sql, this.readModels.calendar(), {
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      ...(query.limit ? { limit: query.limit } : {}),
      // R13 (v2): supervisors see the findings of their own and cleared centers only.
      ...(visible ? { visibleCareerCenters: visible } : {}),
    });
    return { ...report, freshness: await this.readModels.withLag(report.freshness) };
  }
}
