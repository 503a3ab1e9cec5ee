import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class TransferCaseRequestDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) toCareerCenterId!: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  toLocalAreaId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) toCaseManagerId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reason!: string;
}
