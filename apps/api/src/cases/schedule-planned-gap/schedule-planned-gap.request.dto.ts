import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GAP_REASONS, type GapReason, type BusinessDate } from '@caseledger/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, IsPlannedDate } from '../../common/http/business-date.validator';

export class SchedulePlannedGapRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  gapId?: string;

  @ApiProperty({ type: String, format: 'date', description: 'R10: a gap may be scheduled ahead' })
  @IsPlannedDate()
  startDate!: BusinessDate;
  @ApiProperty({ type: String, format: 'date', description: 'At most 2 years ahead' })
  @IsPlannedDate()
  endDate!: BusinessDate;
  @ApiProperty({ enum: GAP_REASONS }) @IsIn(GAP_REASONS) reason!: GapReason;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
}
