import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  type ContactMethod,
  type ContactOutcome,
  type ContactParty,
  type BusinessDate,
} from '@caseledger/domain';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN, IsBusinessDate } from '../../common/http/business-date.validator';

export class RecordContactRequestDto {
  @ApiPropertyOptional({ description: 'Generated (UUID) when omitted' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  contactId?: string;

  @ApiProperty({ enum: CONTACT_METHODS, description: 'R4' })
  @IsIn(CONTACT_METHODS)
  method!: ContactMethod;

  @ApiProperty({ enum: CONTACT_PARTIES, description: 'R6' })
  @IsIn(CONTACT_PARTIES)
  party!: ContactParty;

  @ApiProperty({ enum: CONTACT_OUTCOMES, description: 'R5, R7' })
  @IsIn(CONTACT_OUTCOMES)
  outcome!: ContactOutcome;

  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() occurredOn!: BusinessDate;

  @ApiProperty({ description: "R4: the customer's progress in the enrolled activity" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  progress!: string;

  @ApiProperty({
    description:
      'R4: why services continue (substantive for a contact that reached someone; an attempt needs only a short note in progress or here)',
  })
  @IsString()
  @MaxLength(4000)
  justification!: string;

  @ApiPropertyOptional({ description: 'R6' })
  @IsOptional()
  @IsBoolean()
  customerUnavailable?: boolean;
  @ApiPropertyOptional({ description: 'R6' })
  @IsOptional()
  @IsBoolean()
  providerUnavailable?: boolean;
  @ApiPropertyOptional({ description: 'R6' })
  @IsOptional()
  @IsBoolean()
  alternateHasSubstantiveKnowledge?: boolean;

  @ApiPropertyOptional({
    description:
      'R19/R20: a follow-up contact (after employment or the program exit): needs no enrollment, never qualifies, verifies recorded employment on or after its follow-up date',
  })
  @IsOptional()
  @IsBoolean()
  followUp?: boolean;
}
