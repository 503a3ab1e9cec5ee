import { Body, Controller, Param, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from '../../common/http/http-types';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { caseLocation, generatedId } from '../shared/locations';
import { AssessmentRecordedResponse } from '../shared/responses';
import { RecordAssessmentCommand } from './record-assessment.command';
import { RecordAssessmentRequestDto } from './record-assessment.request.dto';

@Controller('api/v1/cases')
export class RecordAssessmentHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/assessments',
    status: 201,
    summary: 'Record an assessment (R18: reading and math before training)',
    type: AssessmentRecordedResponse,
  })
  async recordAssessment(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: RecordAssessmentRequestDto,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssessmentRecordedResponse> {
    const assessmentId = body.assessmentId ?? generatedId(ctx.commandId, 'assessmentId');
    const result = await this.commandBus.execute(
      new RecordAssessmentCommand(
        caseId,
        {
          type: 'RecordAssessment',
          data: { ...body, assessmentId },
        },
        ctx,
      ),
    );
    if (result.revision >= 0) res.header('Location', caseLocation(caseId));
    return { assessmentId, revision: result.revision };
  }
}
