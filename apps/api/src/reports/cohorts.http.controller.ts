import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { notFound, type Actor } from '@caseledger/domain';
import {
  cohortVisible,
  listCohorts,
  parseCohortRequest,
  reproduceCohort,
  saveCohort,
  scopeOf,
  type CohortReproduction,
  type ExitCohort,
} from '@caseledger/reports';
import { AllowRoles, CurrentActor } from '../common/auth/auth.decorators';
import { ApiAuthProblems } from '../cases/shared/command-route.decorator';
import { ReportsService } from './reports.service';

@Controller('api/v1/reports/cohorts')
@ApiTags('reports')
export class CohortsHttpController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @AllowRoles('supervisor', 'admin')
  @ApiOperation({
    summary:
      "Saves a period's exit cohort (its position, digest and parameters) to the reports stream",
    description:
      'Body `{quarter: "2026-Q3"}` or `{from, to}`, with `careerCenterId?`, `program?`, `atPosition?`. Computes the exit report and appends `ExitCohortSaved` to the `reports` stream, so a later audit reproduces exactly what was submitted. Supervisors (their own and cleared centers, R13) and admins.',
  })
  @ApiAuthProblems()
  async save(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<{ cohort: ExitCohort }> {
    return this.reports.edge(async () => {
      const input =
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? (body as Record<string, unknown>)
          : {};
      const request = parseCohortRequest(input);
      const scope = this.reports.scope(actor, request.params.careerCenterId);
      const { cohort } = await saveCohort(this.reports.store, request, scope, actor);
      return { cohort };
    });
  }

  @Get()
  @AllowRoles('supervisor', 'auditor', 'admin')
  @ApiOperation({ summary: 'Saved exit cohorts, oldest first (R13: those within your centers)' })
  @ApiAuthProblems()
  async list(@CurrentActor() actor: Actor): Promise<{ cohorts: ExitCohort[] }> {
    return { cohorts: await listCohorts(this.reports.store, scopeOf(actor)) };
  }

  @Get(':cohortId')
  @AllowRoles('supervisor', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Reproduces a saved cohort at its position (same digest) and shows what changed since',
  })
  @ApiAuthProblems()
  async reproduce(
    @Param('cohortId') cohortId: string,
    @CurrentActor() actor: Actor,
  ): Promise<CohortReproduction> {
    const cohorts = await listCohorts(this.reports.store, {});
    const cohort = cohorts.find((c) => c.cohortId === cohortId);
    if (!cohort || !cohortVisible(cohort, scopeOf(actor)))
      throw notFound(`cohort ${cohortId} does not exist`, ['cohortId']);
    return reproduceCohort(this.reports.store, cohort);
  }
}
