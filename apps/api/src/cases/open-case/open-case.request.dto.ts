import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PROGRAMS, type Program, type BusinessDate } from '@caseledger/domain';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { ID_MESSAGE, ID_PATTERN, IsBusinessDate } from '../../common/http/business-date.validator';
import { RuleOf } from '../../common/http/validation';
import { CustomerDto } from '../shared/nested.dto';

export class OpenCaseRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  caseId?: string;

  @ApiProperty({ type: CustomerDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @ApiProperty({ enum: PROGRAMS, description: 'R1: the program group' })
  @IsIn(PROGRAMS)
  @RuleOf('R1')
  program!: Program;

  // R2: exactly one career center, local area and case manager.
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) @RuleOf('R2') careerCenterId!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) @RuleOf('R2') localAreaId!: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(100) @RuleOf('R2') caseManagerId!: string;
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() openedOn!: BusinessDate;

  @ApiPropertyOptional({
    description:
      'Open although the customer has an ACTIVE case in this program (otherwise 409 duplicate-case naming it); needs duplicateReason',
  })
  @IsOptional()
  @IsBoolean()
  @Equals(true, { message: 'allowDuplicate is either true or left out' })
  allowDuplicate?: boolean;

  @ApiPropertyOptional({
    description:
      'Why a second active case is opened (required with allowDuplicate; recorded in CaseOpened)',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(500)
  duplicateReason?: string;
}
