import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { ResolveGoalCommand } from './resolve-goal.command';
import { ResolveGoalRequestDto } from './resolve-goal.request.dto';

@Controller('api/v1/cases')
export class ResolveGoalHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/goals/:goalId/resolve',
    status: 200,
    summary: 'Resolve a goal (R15: no goal may be pending at suspension)',
    type: RevisionResponse,
  })
  async resolveGoal(
    @Param('caseId', IdParamPipe) caseId: string,
    @Param('goalId', IdParamPipe) goalId: string,
    @Body() body: ResolveGoalRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new ResolveGoalCommand(caseId, { type: 'ResolveGoal', data: { ...body, goalId } }, ctx),
    );
    return { revision: result.revision };
  }
}
