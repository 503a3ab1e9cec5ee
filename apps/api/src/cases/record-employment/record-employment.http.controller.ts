import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation } from '../shared/locations';
import { RevisionResponse } from '../shared/responses';
import { RecordEmploymentCommand } from './record-employment.command';
import { RecordEmploymentRequestDto } from './record-employment.request.dto';

@Controller('api/v1/cases')
export class RecordEmploymentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/employment',
    status: 201,
    summary: 'Record the job the customer attained (R14, R19 follow-up)',
    type: RevisionResponse,
  })
  async recordEmployment(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: RecordEmploymentRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new RecordEmploymentCommand(caseId, { type: 'RecordEmployment', data: body }, ctx),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { revision: result.revision };
  }
}
