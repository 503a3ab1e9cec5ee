import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ASSESSMENT_EXEMPTIONS,
  ASSESSMENT_KINDS,
  type AssessmentExemption,
  type AssessmentKind,
  type BusinessDate,
} from '@caseledger/domain';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { ID_MESSAGE, ID_PATTERN, IsBusinessDate } from '../../common/http/business-date.validator';

export class RecordAssessmentRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  assessmentId?: string;

  @ApiProperty({ enum: ASSESSMENT_KINDS }) @IsIn(ASSESSMENT_KINDS) kind!: AssessmentKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) instrument?: string;
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() administeredOn!: BusinessDate;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) score?: string;
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) summary!: string;

  @ApiPropertyOptional({ enum: ASSESSMENT_EXEMPTIONS, description: 'R18' })
  @IsOptional()
  @IsIn(ASSESSMENT_EXEMPTIONS)
  exemption?: AssessmentExemption;
}
