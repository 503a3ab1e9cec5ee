import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { CorrectEntryCommand } from './correct-entry.command';
import { CorrectEntryRequestDto } from './correct-entry.request.dto';

@Controller('api/v1/cases')
export class CorrectEntryHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/entries/correct',
    status: 200,
    summary: 'Correct an enrollment, gap, goal, assessment or barrier (R22)',
    type: RevisionResponse,
  })
  async correctEntry(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: CorrectEntryRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new CorrectEntryCommand(caseId, { type: 'CorrectEntry', data: { ...body } }, ctx),
    );
    return { revision: result.revision };
  }
}
