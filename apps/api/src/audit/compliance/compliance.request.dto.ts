import { ApiPropertyOptional } from '@nestjs/swagger';
import type { BusinessDate } from '@caseledger/domain';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/http/business-date.validator';
import { QueryInt } from '../../common/http/query-int';

export class ComplianceQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'Findings whose date (missed deadline, suspension, closure) is on or after this',
  })
  @IsOptional()
  @IsCalendarDate()
  from?: BusinessDate;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'Findings whose date is on or before this',
  })
  @IsOptional()
  @IsCalendarDate()
  to?: BusinessDate;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    default: 1000,
    description: 'Most cases listed per finding (counts are complete)',
  })
  @IsOptional()
  @QueryInt(1, 10_000)
  limit?: number;
}
