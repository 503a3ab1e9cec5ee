import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import {
  buildExitReport,
  exitReportCsv,
  exitReportJson,
  parseExitRequest,
  pinPosition,
} from '@caseledger/reports';
import { AllowRoles, CurrentActor } from '../common/auth/auth.decorators';
import type { Response } from '../common/http/http-types';
import { ApiAuthProblems } from '../cases/shared/command-route.decorator';
import { ReportsService } from './reports.service';

@Controller('api/v1/reports')
@ApiTags('reports')
export class ExitsHttpController {
  constructor(private readonly reports: ReportsService) {}

  @Get('exits')
  @AllowRoles('case_manager', 'supervisor', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Program exits in a period (PIRL-style), pinned to a store position with a digest',
    description:
      'Every program exit whose exit date (PIRL 901, the last day of service: R14 v2, R17) lies in [from, to], folded from the log up to `position` with the domain\'s own evolve (never from a read model): program, center, local area, closure reason, "other reason for exit", days from the last qualifying contact to detection; totals per program, center and exit type. `digest` is SHA-256 of the canonical (RFC 8785) JSON of the rest of the answer; the same request with `atPosition` returns the same bytes later. No personal data: case ids only. CSV with `format=csv` or `Accept: text/csv` (position and digest in the `Report-Position` and `Report-Digest` headers). Staff see their own and cleared centers (R13).',
  })
  @ApiQuery({ name: 'from', required: true, description: 'YYYY-MM-DD, inclusive' })
  @ApiQuery({ name: 'to', required: true, description: 'YYYY-MM-DD, inclusive' })
  @ApiQuery({ name: 'careerCenterId', required: false })
  @ApiQuery({ name: 'program', required: false, description: 'R1 program group' })
  @ApiQuery({
    name: 'atPosition',
    required: false,
    description: "`commit/prepare`, at most the store's end",
  })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOkResponse({
    description: '`{report, version, parameters, position, exits, totals, digest}` or text/csv',
  })
  @ApiAuthProblems()
  async exits(
    @Query() query: Record<string, unknown>,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const report = await this.reports.edge(async () => {
      const request = parseExitRequest(query);
      const scope = this.reports.scope(actor, request.params.careerCenterId);
      const position = await pinPosition(this.reports.store, request.atPosition);
      const built = await buildExitReport(this.reports.store, request.params, scope, position);
      const csv =
        request.format === 'csv' ||
        (request.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
      return { built, csv };
    });
    res.code(200);
    res.header('report-position', report.built.position);
    res.header('report-digest', report.built.digest);
    res.header('cache-control', 'no-store');
    if (report.csv) {
      res.header('content-type', 'text/csv; charset=utf-8');
      await res.send(exitReportCsv(report.built));
    } else {
      res.header('content-type', 'application/json; charset=utf-8');
      await res.send(exitReportJson(report.built));
    }
  }
}
