import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';

export class TransferCaseRequestDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) toCareerCenterId!: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  toLocalAreaId?: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) toCaseManagerId!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) reason!: string;
}
