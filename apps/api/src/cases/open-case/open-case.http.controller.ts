import { Body, Controller, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { OpenCase } from '@caseledger/domain';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { CommandRoute } from '../shared/command-route.decorator';
import { plain } from '../shared/case-command.message';
import { caseLocation, generatedId } from '../shared/locations';
import { OpenCaseResponse } from '../shared/responses';
import { OpenCaseCommand } from './open-case.command';
import { OpenCaseRequestDto } from './open-case.request.dto';

@Controller('api/v1/cases')
export class OpenCaseHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: '',
    status: 201,
    summary: 'Open a case (R1, R2; R13: in your own or a cleared career center)',
    type: OpenCaseResponse,
  })
  async openCase(
    @Body() body: OpenCaseRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OpenCaseResponse> {
    const caseId = body.caseId ?? generatedId(ctx.commandId, 'caseId');
    const result = await this.commandBus.execute(
      new OpenCaseCommand(
        caseId,
        { type: 'OpenCase', data: { ...plain<OpenCase['data']>(body), caseId } },
        ctx,
      ),
    );
    res.header('Location', caseLocation(caseId));
    return { caseId, revision: result.revision };
  }
}
