import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATUSES, CLOSURE_REASONS, PROGRAMS } from '@caseledger/domain';
import { CustomerDto } from '../shared/nested.dto';

const list = (description: string) =>
  ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description,
  });
const date = (description?: string) =>
  ApiProperty({ type: 'string', format: 'date', nullable: true, description });

/** DESIGN.md "Request and response fields": GET /api/v1/cases/{id}. */
export class CaseStateResponse {
  @ApiProperty() caseId!: string;
  @ApiProperty({ description: 'The stream revision this state was folded to (also the ETag)' })
  revision!: number;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty() careerCenterId!: string;
  @ApiProperty() localAreaId!: string;
  @ApiProperty() caseManagerId!: string;
  @ApiProperty({ type: CustomerDto }) customer!: CustomerDto;
  @date() openedOn!: string;
  @date('R8/R9: the latest qualifying contact') lastQualifyingContactOn!: string | null;
  @date('R9: the local contact standard (tickler)') contactDueOn!: string | null;
  @date('R8: an entry on this date is on time; the case soft exits after it')
  softExitDueOn!: string | null;
  @date('R19/R20: the next follow-up tickler (FOLLOW_UP_DUE)') followUpDueOn!: string | null;
  @date('R14 v2/R17: the program exit date (last day of service), not the approval date')
  exitDate!: string | null;
  @date('R14 v2: the day the closure was approved') closedOn!: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description:
      'R16 v2: the pending suspension for closure {reason, details, suspendedOn, suspendedBy}, shown beside the status (it pauses nothing)',
  })
  suspension!: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'R16 v2: the same pending suspension, under the name the worklists use',
  })
  pendingSuspension!: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'R17: the program exit in force {exitDate, dueOn, detectedOn, eventId}',
  })
  programExit!: unknown;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'R20: the twelve-month follow-up {from, until, nextDueOn}',
  })
  followUp!: unknown;
  @ApiProperty({ enum: CLOSURE_REASONS, nullable: true }) closureReason!: string | null;
  @list('enrollments') enrollments!: unknown[];
  @list('contacts and contact attempts') contacts!: unknown[];
  @list('barriers {barrierId, category, description, plan, status (OPEN, OVERCOME), how?}')
  barriers!: unknown[];
  @list('planned gaps') plannedGaps!: unknown[];
  @list('goals') goals!: unknown[];
  @list('assessments') assessments!: unknown[];
  @ApiPropertyOptional({ type: 'string', format: 'date-time' }) asOf?: string;
}
