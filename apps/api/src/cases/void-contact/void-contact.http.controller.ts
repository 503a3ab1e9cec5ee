import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { VoidContactCommand } from './void-contact.command';
import { VoidContactRequestDto } from './void-contact.request.dto';

@Controller('api/v1/cases')
export class VoidContactHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/contacts/:contactId/void',
    status: 200,
    summary: 'Void a contact entered in error (R22)',
    type: RevisionResponse,
  })
  async voidContact(
    @Param('caseId', IdParamPipe) caseId: string,
    @Param('contactId', IdParamPipe) contactId: string,
    @Body() body: VoidContactRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new VoidContactCommand(caseId, { type: 'VoidContact', data: { ...body, contactId } }, ctx),
    );
    return { revision: result.revision };
  }
}
