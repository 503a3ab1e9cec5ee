import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { generatedId } from '../shared/locations';
import { RevisionResponse } from '../shared/responses';
import { ReverseSoftExitCommand } from './reverse-soft-exit.command';
import { ReverseSoftExitRequestDto } from './reverse-soft-exit.request.dto';

@Controller('api/v1/cases')
export class ReverseSoftExitHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/soft-exit/reverse',
    status: 200,
    summary:
      'Reverse a soft exit with a late qualifying contact, where the area policy allows (R21, supervisors)',
    type: RevisionResponse,
  })
  async reverseSoftExit(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: ReverseSoftExitRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new ReverseSoftExitCommand(
        caseId,
        {
          type: 'ReverseSoftExit',
          data: {
            ...body,
            contact: {
              ...body.contact,
              contactId: body.contact.contactId ?? generatedId(ctx.commandId, 'contactId'),
            },
          },
        },
        ctx,
      ),
    );
    return { revision: result.revision };
  }
}
