import { Body, Controller, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { OpenCaseResponse } from '../shared/responses';
import { validationProblem } from '../../common/problems/problem-details';
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
    if (body.allowDuplicate === true && body.duplicateReason === undefined) {
      throw validationProblem('allowDuplicate needs a duplicateReason', [
        { field: 'duplicateReason', message: 'say why a second active case is opened' },
      ]);
    }
    if (body.duplicateReason !== undefined && body.allowDuplicate !== true) {
      throw validationProblem('duplicateReason goes with allowDuplicate: true', [
        { field: 'allowDuplicate', message: 'must be true when a duplicateReason is given' },
      ]);
    }
    const { allowDuplicate: _allow, ...data } = body;
    const result = await this.commandBus.execute(
      new OpenCaseCommand(caseId, { type: 'OpenCase', data: { ...data, caseId } }, ctx),
    );
    res.header('Location', caseLocation(caseId));
    return { caseId, revision: result.revision };
  }
}
