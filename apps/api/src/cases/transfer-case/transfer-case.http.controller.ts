import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { TransferCaseCommand } from './transfer-case.command';
import { TransferCaseRequestDto } from './transfer-case.request.dto';

@Controller('api/v1/cases')
export class TransferCaseHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/transfer',
    status: 200,
    summary: 'Transfer the case to another career center and case manager (R12)',
    type: RevisionResponse,
  })
  async transferCase(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: TransferCaseRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new TransferCaseCommand(caseId, { type: 'TransferCase', data: body }, ctx),
    );
    return { revision: result.revision };
  }
}
