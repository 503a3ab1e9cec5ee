import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { queryCaseSearch, type CaseSearchFilter } from '@caseledger/projections';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { validationProblem } from '../../common/problems/problem-details';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { ReadModels } from '../shared/read-models.service';
import { CustomerCasesDto, FoundCasesPageDto } from './find-cases.response';
import {
  CustomerCasesQueryDto,
  FindCasesQueryDto,
  STAFF_OR_CUSTOMER_ID,
} from './find-cases.request.dto';

/**
 * DESIGN.md "Additions" (finding cases), served from the case-search read
 * model. R13 v2 need-to-know, as on caseloads: staff see the cases of their own
 * and cleared centers (naming another center is 403); auditors and admins all.
 */
@Controller('api/v1')
@ApiTags('case queries')
export class FindCasesHttpController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('cases')
  @ApiOperation({
    operationId: 'findCases',
    summary: 'Find cases by customer, name, career center, status or case manager',
    description:
      'Names match the first or the last name by prefix, ignoring case and accents. Sorted by last name, first name, newest case first. `freshness` says which store position the read model was built to (R13: scoped to the centers the caller may see).',
  })
  @ApiOkResponse({ type: FoundCasesPageDto })
  @ApiAuthProblems()
  async find(
    @Query() query: FindCasesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<FoundCasesPageDto> {
    if (query.careerCenterId !== undefined)
      this.readModels.assertMaySeeCenter(actor, query.careerCenterId);
    return this.search(actor, {
      ...(query.customerId !== undefined ? { customerId: query.customerId } : {}),
      ...(query.name !== undefined ? { name: query.name } : {}),
      ...(query.careerCenterId !== undefined ? { careerCenterId: query.careerCenterId } : {}),
      ...(query.caseManagerId !== undefined ? { caseManagerId: query.caseManagerId } : {}),
      ...(query.program !== undefined ? { program: query.program } : {}),
      ...(query.status !== undefined ? { status: query.status } : {}),
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
  }

  @Get('customers/:customerId/cases')
  @ApiOperation({
    operationId: 'listCustomerCases',
    summary: "A customer's cases, in every program (R13: those the caller may see)",
  })
  @ApiParam({ name: 'customerId', example: 'cust-1042' })
  @ApiOkResponse({ type: CustomerCasesDto })
  @ApiAuthProblems()
  async customerCases(
    @Param('customerId') customerId: string,
    @Query() query: CustomerCasesQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<CustomerCasesDto> {
    if (!STAFF_OR_CUSTOMER_ID.test(customerId)) {
      throw validationProblem('customerId is not a customer id', [
        { field: 'customerId', message: 'letters, digits and . _ @ : - (at most 128)' },
      ]);
    }
    const page = await this.search(actor, {
      customerId,
      ...(query.status !== undefined ? { status: query.status } : {}),
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
    return { customerId, ...page };
  }

  private async search(
    actor: Actor,
    filter: Omit<CaseSearchFilter, 'visibleCareerCenters'>,
  ): Promise<FoundCasesPageDto> {
    const visible = this.readModels.visibleCenters(actor);
    const page = await queryCaseSearch(this.readModels.sql, {
      ...filter,
      ...(visible ? { visibleCareerCenters: visible } : {}),
    });
    return { ...page, freshness: await this.readModels.withLag(page.freshness, 'case-search') };
  }
}
