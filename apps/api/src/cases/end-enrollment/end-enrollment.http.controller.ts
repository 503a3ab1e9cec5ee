import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { EndEnrollmentCommand } from './end-enrollment.command';
import { EndEnrollmentRequestDto } from './end-enrollment.request.dto';

@Controller('api/v1/cases')
export class EndEnrollmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/enrollments/:enrollmentId/end',
    status: 200,
    summary: 'End an enrollment',
    type: RevisionResponse,
  })
  async endEnrollment(
    @Param('caseId', IdParamPipe) caseId: string,
    @Param('enrollmentId', IdParamPipe) enrollmentId: string,
    @Body() body: EndEnrollmentRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new EndEnrollmentCommand(
        caseId,
        { type: 'EndEnrollment', data: { ...body, enrollmentId } },
        ctx,
      ),
    );
    return { revision: result.revision };
  }
}
