import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import type { DisposeCustomerResult } from '@caseledger/platform';
import { CustomerDisposal } from '@caseledger/platform';
import {
  AllowRoles,
  CurrentActor,
  type AuthenticatedRequest,
} from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { DisposeCustomerRequestDto } from './dispose-customer.request.dto';

@Controller('api/v1/customers')
@ApiTags('customers')
export class DisposeCustomerHttpController {
  constructor(@Inject(CustomerDisposal) private readonly disposal: CustomerDisposal) {}

  @Post(':customerId/dispose')
  @HttpCode(200)
  @AllowRoles('admin')
  @ApiOperation({
    summary: 'Dispose of a customer\'s personal data after retention (README "Records retention")',
    description:
      "Admins only. Every case of the customer must be CLOSED with closedOn + PERSONAL_DATA_RETENTION_DAYS ≤ today (the area's zone), else 409 and nothing changes. Appends PersonalDataDisposed to each case and destroys the customer's data key. A repeat answers ALREADY_DISPOSED and appends nothing.",
  })
  @ApiOkResponse({
    description:
      '{customerId, outcome (DISPOSED, ALREADY_DISPOSED), disposedOn, cases[] {caseId, revision, appended}}',
  })
  @ApiAuthProblems()
  dispose(
    @Param('customerId', IdParamPipe) customerId: string,
    @Body() body: DisposeCustomerRequestDto,
    @CurrentActor() actor: Actor,
    @Req() req: AuthenticatedRequest & { id?: unknown },
  ): Promise<DisposeCustomerResult> {
    return this.disposal.dispose({
      customerId,
      reason: body.reason,
      retentionRule: body.retentionRule,
      actor,
      correlationId: typeof req.id === 'string' ? req.id : customerId,
    });
  }
}
