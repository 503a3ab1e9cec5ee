import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { ApproveSuspensionCommand } from './approve-suspension.command';
import { ApproveSuspensionRequestDto } from './approve-suspension.request.dto';

@Controller('api/v1/cases')
export class ApproveSuspensionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/suspension/approve',
    status: 200,
    summary: 'Approve a suspension: the case closes (R16, supervisors and admins)',
    type: RevisionResponse,
  })
  async approveSuspension(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: ApproveSuspensionRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new ApproveSuspensionCommand(caseId, { type: 'ApproveSuspension', data: body }, ctx),
    );
    return { revision: result.revision };
  }
}
