import { ApiProperty } from '@nestjs/swagger';
import { ENROLLMENT_OUTCOMES, type EnrollmentOutcome } from '@caseledger/domain';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';

export class EndEnrollmentRequestDto {
  @ApiProperty({ format: 'date' }) @IsBusinessDate() endDate!: string;
  @ApiProperty({ enum: ENROLLMENT_OUTCOMES })
  @IsIn(ENROLLMENT_OUTCOMES)
  outcome!: EnrollmentOutcome;
}
