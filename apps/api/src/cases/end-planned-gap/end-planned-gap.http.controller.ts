import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { EndPlannedGapCommand } from './end-planned-gap.command';
import { EndPlannedGapRequestDto } from './end-planned-gap.request.dto';

@Controller('api/v1/cases')
export class EndPlannedGapHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/planned-gaps/:gapId/end',
    status: 200,
    summary: 'End a planned gap early (R10)',
    type: RevisionResponse,
  })
  async endPlannedGap(
    @Param('caseId', IdParamPipe) caseId: string,
    @Param('gapId', IdParamPipe) gapId: string,
    @Body() body: EndPlannedGapRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new EndPlannedGapCommand(caseId, { type: 'EndPlannedGap', data: { ...body, gapId } }, ctx),
    );
    return { revision: result.revision };
  }
}
