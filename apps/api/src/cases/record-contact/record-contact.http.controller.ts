import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { ContactRecordedResponse } from '../shared/responses';
import { RecordContactCommand } from './record-contact.command';
import { RecordContactRequestDto } from './record-contact.request.dto';

@Controller('api/v1/cases')
export class RecordContactHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/contacts',
    status: 201,
    summary: 'Record a case management contact (R3–R8, R19)',
    type: ContactRecordedResponse,
  })
  async recordContact(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: RecordContactRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContactRecordedResponse> {
    const contactId = body.contactId ?? generatedId(ctx.commandId, 'contactId');
    const result = await this.commandBus.execute(
      new RecordContactCommand(
        caseId,
        { type: 'RecordContact', data: { ...body, contactId } },
        ctx,
      ),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return {
      contactId,
      qualifying: result.events.some((e) => e.type === 'ContactRecorded'),
      revision: result.revision,
    };
  }
}
