import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ComplianceQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'Findings whose date (missed deadline, suspension, closure) is on or after this',
  })
  @IsOptional()
  @Matches(BUSINESS_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Findings whose date is on or before this' })
  @IsOptional()
  @Matches(BUSINESS_DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10000,
    default: 1000,
    description: 'Most cases listed per finding (counts are complete)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
}
