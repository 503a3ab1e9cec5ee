import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { ID_MESSAGE, ID_PATTERN } from '../../common/http/business-date.validator';
import { WageRangeDto } from '../shared/nested.dto';

export class SetGoalRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  goalId?: string;

  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) statement!: string;

  @ApiPropertyOptional({ type: WageRangeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => WageRangeDto)
  wageRangeDesired?: WageRangeDto;
}
