import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { GoalSetResponse } from '../shared/responses';
import { SetGoalCommand } from './set-goal.command';
import { SetGoalRequestDto } from './set-goal.request.dto';

@Controller('api/v1/cases')
export class SetGoalHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/goals',
    status: 201,
    summary: 'Set an employment goal',
    type: GoalSetResponse,
  })
  async setGoal(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: SetGoalRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GoalSetResponse> {
    const goalId = body.goalId ?? generatedId(ctx.commandId, 'goalId');
    const result = await this.commandBus.execute(
      new SetGoalCommand(caseId, { type: 'SetGoal', data: { ...body, goalId } }, ctx),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { goalId, revision: result.revision };
  }
}
