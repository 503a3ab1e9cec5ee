import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMS, type Program } from '@caseledger/domain';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, IsBusinessDate } from '../../common/http/business-date.validator';
import { RuleOf } from '../../common/http/validation';
import { CustomerDto } from '../shared/nested.dto';

export class OpenCaseRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  caseId?: string;

  @ApiProperty({ type: CustomerDto })
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiProperty({ enum: PROGRAMS, description: 'R1: the program group' })
  @IsIn(PROGRAMS)
  @RuleOf('R1')
  program!: Program;

  // R2: exactly one career center, local area and case manager.
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) @RuleOf('R2') careerCenterId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) @RuleOf('R2') localAreaId!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) @RuleOf('R2') caseManagerId!: string;
  @ApiProperty({ format: 'date' }) @IsBusinessDate() openedOn!: string;
}
