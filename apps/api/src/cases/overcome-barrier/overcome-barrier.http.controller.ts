import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { OvercomeBarrierCommand } from './overcome-barrier.command';
import { OvercomeBarrierRequestDto } from './overcome-barrier.request.dto';

@Controller('api/v1/cases')
export class OvercomeBarrierHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/barriers/:barrierId/overcome',
    status: 200,
    summary: 'Record how a barrier was overcome (R11)',
    type: RevisionResponse,
  })
  async overcomeBarrier(
    @Param('caseId', IdParamPipe) caseId: string,
    @Param('barrierId', IdParamPipe) barrierId: string,
    @Body() body: OvercomeBarrierRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new OvercomeBarrierCommand(
        caseId,
        { type: 'OvercomeBarrier', data: { ...body, barrierId } },
        ctx,
      ),
    );
    return { revision: result.revision };
  }
}
