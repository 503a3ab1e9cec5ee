import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import type { Response } from '../../common/http/http-types';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CLOCK, type Clock } from '@caseledger/platform';
import { parseAsOf } from '../../common/http/plausible-date';
import { ApiAuthProblems } from '../shared/command-route.decorator';
import { CaseReader } from '../shared/case-reader';
import { CaseStateResponse } from './get-case.response';

@Controller('api/v1/cases')
@ApiTags('case queries')
export class GetCaseHttpController {
  constructor(
    private readonly reader: CaseReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':caseId')
  @ApiOperation({ summary: 'The case folded from its stream (as it stood at `asOf` when given)' })
  @ApiQuery({
    name: 'asOf',
    required: false,
    description:
      "A date YYYY-MM-DD (the end of that day in the case's local area) or an ISO-8601 timestamp with offset, from 1990-01-01 to today",
  })
  @ApiOkResponse({ type: CaseStateResponse, description: 'ETag: "<revision>"' })
  @ApiAuthProblems()
  async getCase(
    @Param('caseId', IdParamPipe) caseId: string,
    @Query('asOf') asOfText: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseStateResponse> {
    const { state, revision, asOf } = await this.reader.state(
      actor,
      caseId,
      parseAsOf(asOfText, this.clock.now()),
    );
    res.header('ETag', `"${revision}"`);
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
