import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BARRIER_CATEGORIES, type BarrierCategory, type BusinessDate } from '@caseledger/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { ID_MESSAGE, ID_PATTERN, IsBusinessDate } from '../../common/http/business-date.validator';

export class IdentifyBarrierRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  barrierId?: string;

  @ApiProperty({ enum: BARRIER_CATEGORIES }) @IsIn(BARRIER_CATEGORIES) category!: BarrierCategory;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) description!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) plan!: string;
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() identifiedOn!: BusinessDate;
}
