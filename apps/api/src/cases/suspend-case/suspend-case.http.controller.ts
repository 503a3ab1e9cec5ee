import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { SuspendCaseCommand } from './suspend-case.command';
import { SuspendCaseRequestDto } from './suspend-case.request.dto';

@Controller('api/v1/cases')
export class SuspendCaseHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/suspend',
    status: 200,
    summary: 'Suspend the case for closure with a reason (R14–R16)',
    type: RevisionResponse,
  })
  async suspendCase(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: SuspendCaseRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new SuspendCaseCommand(caseId, { type: 'SuspendCase', data: body }, ctx),
    );
    return { revision: result.revision };
  }
}
