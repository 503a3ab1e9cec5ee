import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { EnrollmentCreatedResponse } from '../shared/responses';
import { EnrollInActivityCommand } from './enroll-in-activity.command';
import { EnrollInActivityRequestDto } from './enroll-in-activity.request.dto';

@Controller('api/v1/cases')
export class EnrollInActivityHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/enrollments',
    status: 201,
    summary: 'Enroll the customer in an activity (R3: contacts need an active enrollment)',
    type: EnrollmentCreatedResponse,
  })
  async enrollInActivity(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: EnrollInActivityRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EnrollmentCreatedResponse> {
    const enrollmentId = body.enrollmentId ?? generatedId(ctx.commandId, 'enrollmentId');
    const result = await this.commandBus.execute(
      new EnrollInActivityCommand(
        caseId,
        {
          type: 'EnrollInActivity',
          data: { ...body, enrollmentId },
        },
        ctx,
      ),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { enrollmentId, revision: result.revision };
  }
}
