import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Actor } from '@caseledger/domain';
import { parseWhatIfRequest, pinPosition, runWhatIf, whatIfJsonChunks } from '@caseledger/reports';
import { AllowRoles, CurrentActor } from '../common/auth/auth.decorators';
import type { Response } from '../common/http/http-types';
import { ApiAuthProblems } from '../cases/shared/command-route.decorator';
import { ReportsService } from './reports.service';

@Controller('api/v1/reports')
@ApiTags('reports')
export class WhatIfHttpController {
  constructor(private readonly reports: ReportsService) {}

  @Post('what-if')
  @HttpCode(200)
  @AllowRoles('case_manager', 'supervisor', 'auditor', 'admin')
  @ApiOperation({
    summary: 'Replays the log under other policy terms; lists what would differ per case',
    description:
      "Every case in scope is replayed from the log up to `position` twice, under the terms its stream recorded and under `policyOverrides` (`contactIntervalDays` R9, `softExitAfterDays` R8, `lateEntryAfterSoftExit` R21, or another configured `policyId` whole), through the domain's own decide and evolve on the calendar of the cases' own dates. `differences` lists each case whose exit, exit date, contact-overdue days or CONTACT_DUE ticklers inside [from, to] would differ; empty when nothing would change. Writes nothing. Streamed. Staff see their own and cleared centers (R13).",
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['policyOverrides', 'from', 'to'],
      properties: {
        policyOverrides: {
          type: 'object',
          properties: {
            contactIntervalDays: { type: 'integer' },
            softExitAfterDays: { type: 'integer' },
            lateEntryAfterSoftExit: { type: 'string', enum: ['REFUSE', 'REVERSE_WITH_APPROVAL'] },
            policyId: { type: 'string' },
          },
        },
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
        careerCenterId: { type: 'string' },
        atPosition: { type: 'string' },
      },
    },
  })
  @ApiOkResponse({ description: '`{report, version, parameters, position, differences, totals}`' })
  @ApiAuthProblems()
  async whatIf(
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.reports.edge(async () => {
      const input =
        typeof body === 'object' && body !== null && !Array.isArray(body)
          ? (body as Record<string, unknown>)
          : {};
      const request = parseWhatIfRequest(input, this.reports.policies);
      const scope = this.reports.scope(actor, request.params.careerCenterId);
      const position = await pinPosition(this.reports.store, request.atPosition);
      return runWhatIf(this.reports.store, request.params, scope, position, this.reports.policyOf);
    });
    res.code(200);
    res.header('content-type', 'application/json; charset=utf-8');
    res.header('report-position', result.position);
    res.header('cache-control', 'no-store');
    try {
      // Fastify pipes the stream, waiting for 'drain' before pulling the next chunk.
      void res.send(Readable.from(whatIfJsonChunks(result)));
      await finished(res.raw);
    } catch {
      res.raw.destroy();
    }
  }
}
