import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsNumber, IsString, MaxLength, Min } from 'class-validator';

export class CustomerDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) id!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) firstName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) lastName!: string;
}

/** R14: what an EMPLOYMENT_ATTAINED closure carries (04-34 chart, Case Closure). */
export class JobDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) employerName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) employerAddress!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50) employerPhone!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) employerContact!: string;
  @ApiProperty() @IsNumber() @Min(0) hourlyWage!: number;
  @ApiProperty() @IsNumber() @Min(0) hoursPerWeek!: number;
  @ApiProperty() @IsString() @MaxLength(1000) benefits!: string;
}

export class WageRangeDto {
  @ApiProperty() @IsNumber() @Min(0) min!: number;
  @ApiProperty() @IsNumber() @Min(0) max!: number;
}
