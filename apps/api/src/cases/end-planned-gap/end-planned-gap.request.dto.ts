import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { BusinessDate } from '@caseledger/domain';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPlannedDate } from '../../common/http/business-date.validator';

export class EndPlannedGapRequestDto {
  @ApiProperty({
    type: String,
    format: 'date',
    description: 'R10: the new, earlier end (never later than planned, never before today)',
  })
  @IsPlannedDate()
  endDate!: BusinessDate;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}
