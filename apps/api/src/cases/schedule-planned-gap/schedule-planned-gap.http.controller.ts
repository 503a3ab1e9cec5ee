import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { GapScheduledResponse } from '../shared/responses';
import { SchedulePlannedGapCommand } from './schedule-planned-gap.command';
import { SchedulePlannedGapRequestDto } from './schedule-planned-gap.request.dto';

@Controller('api/v1/cases')
export class SchedulePlannedGapHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/planned-gaps',
    status: 201,
    summary: 'Schedule a planned gap in services (R10)',
    type: GapScheduledResponse,
  })
  async schedulePlannedGap(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: SchedulePlannedGapRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<GapScheduledResponse> {
    const gapId = body.gapId ?? generatedId(ctx.commandId, 'gapId');
    const result = await this.commandBus.execute(
      new SchedulePlannedGapCommand(
        caseId,
        { type: 'SchedulePlannedGap', data: { ...body, gapId } },
        ctx,
      ),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { gapId, revision: result.revision };
  }
}
