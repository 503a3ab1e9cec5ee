import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { BarrierIdentifiedResponse } from '../shared/responses';
import { IdentifyBarrierCommand } from './identify-barrier.command';
import { IdentifyBarrierRequestDto } from './identify-barrier.request.dto';

@Controller('api/v1/cases')
export class IdentifyBarrierHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/barriers',
    status: 201,
    summary: 'Identify a barrier with a plan (R11; barriers are never deleted)',
    type: BarrierIdentifiedResponse,
  })
  async identifyBarrier(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: IdentifyBarrierRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BarrierIdentifiedResponse> {
    const barrierId = body.barrierId ?? generatedId(ctx.commandId, 'barrierId');
    const result = await this.commandBus.execute(
      new IdentifyBarrierCommand(
        caseId,
        { type: 'IdentifyBarrier', data: { ...body, barrierId } },
        ctx,
      ),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { barrierId, revision: result.revision };
  }
}
