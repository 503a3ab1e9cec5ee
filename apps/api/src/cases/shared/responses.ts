import { ApiProperty } from '@nestjs/swagger';

export class RevisionResponse {
  @ApiProperty({ description: "The case stream's revision after the command (counts from 0)" })
  revision!: number;
}

export class OpenCaseResponse extends RevisionResponse {
  @ApiProperty() caseId!: string;
}

export class EnrollmentCreatedResponse extends RevisionResponse {
  @ApiProperty() enrollmentId!: string;
}

export class ContactRecordedResponse extends RevisionResponse {
  @ApiProperty() contactId!: string;
  @ApiProperty({
    description: 'R5/R7: false for an unanswered call, a message left or outreach sent',
  })
  qualifying!: boolean;
}

export class BarrierIdentifiedResponse extends RevisionResponse {
  @ApiProperty() barrierId!: string;
}

export class GapScheduledResponse extends RevisionResponse {
  @ApiProperty() gapId!: string;
}

export class GoalSetResponse extends RevisionResponse {
  @ApiProperty() goalId!: string;
}

export class AssessmentRecordedResponse extends RevisionResponse {
  @ApiProperty() assessmentId!: string;
}

export class FieldErrorDto {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

/** RFC 9457 problem details; `type` is https://caseledger.dev/problems/<rule or check id>. */
export class ProblemDto {
  @ApiProperty({ example: 'https://caseledger.dev/problems/R3' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() status!: number;
  @ApiProperty({ required: false }) detail?: string;
  @ApiProperty({ required: false }) instance?: string;
  @ApiProperty({ required: false, description: 'The domain rule id (R1–R19, BUSINESS_DATE…)' })
  ruleId?: string;
  @ApiProperty({ required: false, type: [FieldErrorDto] }) errors?: FieldErrorDto[];
  @ApiProperty({ required: false }) correlationId?: string;
}
