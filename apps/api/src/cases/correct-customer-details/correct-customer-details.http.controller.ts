import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandCtx, type CommandContext } from '../../common/http/command-context';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { CommandRoute } from '../shared/command-route.decorator';
import { RevisionResponse } from '../shared/responses';
import { CorrectCustomerDetailsCommand } from './correct-customer-details.command';
import { CorrectCustomerDetailsRequestDto } from './correct-customer-details.request.dto';

@Controller('api/v1/cases')
export class CorrectCustomerDetailsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @CommandRoute({
    path: ':caseId/customer',
    status: 200,
    summary: "Correct the customer's name (R22)",
    type: RevisionResponse,
  })
  async correctCustomerDetails(
    @Param('caseId', IdParamPipe) caseId: string,
    @Body() body: CorrectCustomerDetailsRequestDto,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevisionResponse> {
    const result = await this.commandBus.execute(
      new CorrectCustomerDetailsCommand(
        caseId,
        {
          type: 'CorrectCustomerDetails',
          data: { ...body },
        },
        ctx,
      ),
    );
    return { revision: result.revision };
  }
}
