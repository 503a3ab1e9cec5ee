import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { AccessRecord } from '@caseledger/platform';
import { AllowRoles } from '../../common/auth/auth.decorators';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { validationProblem } from '../../common/problems/problem-details';
import { AuditEvidence } from '../shared/audit-evidence';

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export class AccessRecordsResponse {
  records!: AccessRecord[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

@Controller('api/v1/audit')
@ApiTags('audit')
export class AccessRecordsHttpController {
  constructor(private readonly evidence: AuditEvidence) {}

  @Get('access')
  @AllowRoles('auditor', 'admin')
  @ApiOperation({
    summary: "Who read which case's personal data, when, on which route",
    description:
      'Every read of a case (state, history, explain, export, listings with names) is recorded in an append-only table. Oldest first; page with `after`.',
  })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiQuery({ name: 'staffId', required: false })
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 100' })
  @ApiOkResponse({ type: AccessRecordsResponse })
  @ApiAuthProblems()
  async listAccessRecords(
    @Query('caseId') caseId?: string,
    @Query('staffId') staffId?: string,
    @Query('after') after?: string,
    @Query('limit') limitText?: string,
  ): Promise<AccessRecordsResponse> {
    const errors = [];
    for (const [field, value] of [
      ['caseId', caseId],
      ['staffId', staffId],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || !ID.test(value))) {
        errors.push({ field, message: 'expected an id' });
      }
    }
    if (after !== undefined && (typeof after !== 'string' || !/^\d{1,18}$/.test(after))) {
      errors.push({ field: 'after', message: 'expected the id of a record' });
    }
    const limit = limitText === undefined ? 100 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      errors.push({ field: 'limit', message: 'expected an integer from 1 to 1000' });
    }
    if (errors.length > 0) throw validationProblem('invalid access-record query', errors);
    const records = await this.evidence.access.query({
      ...(caseId ? { caseId } : {}),
      ...(staffId ? { staffId } : {}),
      ...(after ? { after } : {}),
      limit,
    });
    return {
      records,
      ...(records.length === limit ? { next: records[records.length - 1].id } : {}),
    };
  }
}
