import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CLOSURE_REASONS, type ClosureReason } from '@caseledger/domain';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { JobDto } from '../shared/nested.dto';

export class SuspendCaseRequestDto {
  @ApiProperty({ enum: CLOSURE_REASONS, description: 'R14' })
  @IsIn(CLOSURE_REASONS)
  reason!: ClosureReason;

  @ApiProperty({ description: 'R14: required explanation for OTHER' })
  @IsString()
  @MaxLength(4000)
  details!: string;

  @ApiPropertyOptional({
    type: JobDto,
    description: 'R14: required for EMPLOYMENT_ATTAINED unless already recorded',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => JobDto)
  job?: JobDto;
}
