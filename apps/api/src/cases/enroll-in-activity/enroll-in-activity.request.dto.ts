import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACTIVITY_TYPES, type ActivityType, type BusinessDate } from '@caseledger/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import {
  ID_MESSAGE,
  ID_PATTERN,
  IsBusinessDate,
  IsPlannedDate,
} from '../../common/http/business-date.validator';

export class EnrollInActivityRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  enrollmentId?: string;

  @ApiProperty({ enum: ACTIVITY_TYPES }) @IsIn(ACTIVITY_TYPES) activityType!: ActivityType;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) activityName!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) providerName?: string;
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() startDate!: BusinessDate;
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'Planned end: at most 2 years ahead',
  })
  @IsOptional()
  @IsPlannedDate()
  endDate?: BusinessDate;
}
