import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsPositive, IsString, MaxLength, Min } from 'class-validator';
import { IsNotBlank, IsNotLessThan } from '../../common/http/text.validator';

export class CustomerDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) id!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) firstName!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) lastName!: string;
}

/** R14: what an EMPLOYMENT_ATTAINED closure carries (04-34 chart, Case Closure). */
export class JobDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) title!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) employerName!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(500) employerAddress!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(50) employerPhone!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(200) employerContact!: string;
  // R14: the job pays and has hours (the domain records what the edge parsed).
  @ApiProperty() @IsNumber() @IsPositive() hourlyWage!: number;
  @ApiProperty() @IsNumber() @IsPositive() hoursPerWeek!: number;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(1000) benefits!: string;
}

export class WageRangeDto {
  @ApiProperty() @IsNumber() @Min(0) min!: number;
  @ApiProperty() @IsNumber() @Min(0) @IsNotLessThan('min') max!: number;
}
