import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { ReturnSuspensionCommand } from './return-suspension.command';
import { ReturnSuspensionRequestDto } from './return-suspension.request.dto';

@Controller('api/v1/cases')
export class ReturnSuspensionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/suspension/return',
    status: 200,
    summary: 'Return a suspension requesting more information (R16, supervisors and admins)',
    type: RevisionResponse,
  })
  async returnSuspension(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: ReturnSuspensionRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new ReturnSuspensionCommand(caseId, { type: 'ReturnSuspension', data: body }, ctx),
    );
    return { revision: result.revision };
  }
}
