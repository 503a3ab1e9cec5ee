import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import type { Response } from '../../common/http/http-types';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { validationProblem } from '../../common/problems/problem-details';
import { ApiAuthProblems } from '../shared/command-route.decorator';
import { CaseReader } from '../shared/case-reader';
import { CaseStateResponse } from './get-case.response';

/** An ISO-8601 instant with a date and a time (`asOf` is a timestamp, not a business date). */
export function parseAsOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const instant = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(instant.getTime())) {
    throw validationProblem('asOf must be an ISO-8601 timestamp', [
      { field: 'asOf', message: 'expected e.g. 2025-03-01T12:00:00Z' },
    ]);
  }
  return instant;
}

@Controller('api/v1/cases')
@ApiTags('case queries')
export class GetCaseHttpController {
  constructor(private readonly reader: CaseReader) {}

  @Get(':caseId')
  @ApiOperation({ summary: 'The case folded from its stream (as it stood at `asOf` when given)' })
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO-8601 timestamp' })
  @ApiOkResponse({ type: CaseStateResponse, description: 'ETag: "<revision>"' })
  @ApiAuthProblems()
  async getCase(
    @Param('caseId', IdParamPipe) caseId: string,
    @Query('asOf') asOfText: string | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseStateResponse> {
    const asOf = parseAsOf(asOfText);
    const { state, revision } = await this.reader.state(actor, caseId, asOf);
    res.setHeader('ETag', `"${revision}"`);
    const { status, ...rest } = state;
    return {
      ...rest,
      status: status === 'NONE' ? 'ACTIVE' : status,
      // R16 v2: the pending suspension, beside the status (also as `suspension`).
      pendingSuspension: state.suspension,
      caseId,
      revision,
      ...(asOf ? { asOf: asOf.toISOString() } : {}),
    } as CaseStateResponse;
  }
}
