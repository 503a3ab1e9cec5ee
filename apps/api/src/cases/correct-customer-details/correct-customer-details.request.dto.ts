import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';

export class CorrectCustomerDetailsRequestDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  firstName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  lastName?: string;

  @ApiProperty({ description: 'R22: why the name is corrected' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}
