import { ApiProperty } from '@nestjs/swagger';
import { ENROLLMENT_OUTCOMES, type EnrollmentOutcome, type BusinessDate } from '@caseledger/domain';
import { IsIn } from 'class-validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';

export class EndEnrollmentRequestDto {
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() endDate!: BusinessDate;
  @ApiProperty({ enum: ENROLLMENT_OUTCOMES })
  @IsIn(ENROLLMENT_OUTCOMES)
  outcome!: EnrollmentOutcome;
}
