import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ACTIVITY_TYPES,
  ASSESSMENT_EXEMPTIONS,
  ASSESSMENT_KINDS,
  BARRIER_CATEGORIES,
  CASE_STATUSES,
  CLOSURE_REASONS,
  CONTACT_METHODS,
  CONTACT_OUTCOMES,
  CONTACT_PARTIES,
  ENROLLMENT_OUTCOMES,
  GAP_REASONS,
  GOAL_RESOLUTIONS,
  PROGRAMS,
  TICKLER_KINDS,
} from '@caseledger/domain';
import { CustomerDto, JobDto, WageRangeDto } from '../shared/nested.dto';

const date = (description?: string) =>
  ApiProperty({ type: 'string', format: 'date', nullable: true, description });
const someDate = (description?: string) =>
  ApiPropertyOptional({ type: 'string', format: 'date', description });
const day = (description?: string) => ApiProperty({ type: 'string', format: 'date', description });
const eventRef = () =>
  ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The id of the event that recorded it',
  });

export class EnrollmentView {
  @ApiProperty() enrollmentId!: string;
  @ApiProperty({ enum: ACTIVITY_TYPES, enumName: 'ActivityType' }) activityType!: string;
  @ApiProperty() activityName!: string;
  @ApiPropertyOptional() providerName?: string;
  @day() startDate!: string;
  @someDate('The planned end') endDate?: string;
  @someDate('When it ended') endedOn?: string;
  @ApiPropertyOptional({ enum: ENROLLMENT_OUTCOMES, enumName: 'EnrollmentOutcome' })
  outcome?: string;
}

export class VoidedView {
  @ApiProperty() reason!: string;
  @day() voidedOn!: string;
}

export class ContactView {
  @ApiProperty() contactId!: string;
  @ApiProperty({ enum: CONTACT_METHODS, enumName: 'ContactMethod' }) method!: string;
  @ApiProperty({ enum: CONTACT_PARTIES, enumName: 'ContactParty' }) party!: string;
  @ApiProperty({ enum: CONTACT_OUTCOMES, enumName: 'ContactOutcome' }) outcome!: string;
  @day() occurredOn!: string;
  @ApiProperty({ description: 'R5: it restarted the contact clocks' }) qualifying!: boolean;
  @ApiPropertyOptional({ description: 'R19: a follow-up contact' }) followUp?: boolean;
  @ApiPropertyOptional() customerUnavailable?: boolean;
  @ApiPropertyOptional() providerUnavailable?: boolean;
  @ApiPropertyOptional() alternateHasSubstantiveKnowledge?: boolean;
  @ApiPropertyOptional({
    enum: ['NO_ANSWER', 'MESSAGE_LEFT', 'OUTREACH_SENT'],
    enumName: 'ContactAttemptReason',
    description: 'R5/R7: why an attempt did not qualify',
  })
  reason?: string;
  @ApiPropertyOptional({ type: [String], description: 'R7: the outreach this response answers' })
  answersOutreach?: string[];
  @ApiPropertyOptional({ description: 'R7: outreach sent, no answer yet' })
  awaitingResponse?: boolean;
  @ApiProperty() progress!: string;
  @ApiProperty() justification!: string;
  @eventRef() eventId!: string | null;
  @ApiPropertyOptional({ type: VoidedView, description: 'R22: voided, kept listed' })
  voided?: VoidedView;
  @ApiPropertyOptional({ description: 'R19: this contact verified the employment' })
  verifiedEmployment?: boolean;
}

export class BarrierView {
  @ApiProperty() barrierId!: string;
  @ApiProperty({ enum: BARRIER_CATEGORIES, enumName: 'BarrierCategory' }) category!: string;
  @ApiProperty() description!: string;
  @ApiProperty() plan!: string;
  @day() identifiedOn!: string;
  @ApiProperty({ enum: ['OPEN', 'OVERCOME'], enumName: 'BarrierStatus' }) status!: string;
  @ApiPropertyOptional() how?: string;
  @someDate() overcomeOn?: string;
}

export class PlannedGapView {
  @ApiProperty() gapId!: string;
  @day() startDate!: string;
  @day('The end in force (an early end moves it, R10 v2)') endDate!: string;
  @ApiProperty({ enum: GAP_REASONS, enumName: 'GapReason' }) reason!: string;
  @ApiPropertyOptional() note?: string;
  @eventRef() eventId!: string | null;
  @someDate('The end first planned, when it was ended early') plannedEndDate?: string;
}

export class GoalView {
  @ApiProperty() goalId!: string;
  @ApiProperty() statement!: string;
  @ApiPropertyOptional({ type: WageRangeDto }) wageRangeDesired?: WageRangeDto;
  @ApiProperty({ enum: ['PENDING', ...GOAL_RESOLUTIONS], enumName: 'GoalStatus' })
  status!: string;
}

export class AssessmentView {
  @ApiProperty() assessmentId!: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS, enumName: 'AssessmentKind' }) kind!: string;
  @ApiPropertyOptional() instrument?: string;
  @day() administeredOn!: string;
  @ApiPropertyOptional() score?: string;
  @ApiProperty() summary!: string;
  @ApiPropertyOptional({ enum: ASSESSMENT_EXEMPTIONS, enumName: 'AssessmentExemption' })
  exemption?: string;
}

export class EmploymentView {
  @ApiProperty({ type: JobDto }) job!: JobDto;
  @day() startDate!: string;
  @day('R19: the follow-up verification is due by then') followUpDueOn!: string;
  @someDate('R19: verified by a follow-up contact') verifiedOn?: string;
}

export class SuspensionView {
  @ApiProperty({ enum: CLOSURE_REASONS, enumName: 'ClosureReason' }) reason!: string;
  @ApiProperty() details!: string;
  @ApiPropertyOptional({ type: JobDto }) job?: JobDto;
  @day() suspendedOn!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Who asked (null on a v1 event)' })
  suspendedBy!: string | null;
  @eventRef() eventId!: string | null;
}

export class ProgramExitView {
  @day('R17: the last day of service') exitDate!: string;
  @day() dueOn!: string;
  @day() detectedOn!: string;
  @eventRef() eventId!: string | null;
}

export class FollowUpView {
  @day() from!: string;
  @day() until!: string;
  @date('The next follow-up contact owed') nextDueOn!: string | null;
}

export class AssignmentView {
  @ApiProperty() careerCenterId!: string;
  @ApiProperty() localAreaId!: string;
  @ApiProperty() caseManagerId!: string;
}

export class TransferView {
  @ApiProperty({ type: AssignmentView }) from!: AssignmentView;
  @ApiProperty({ type: AssignmentView }) to!: AssignmentView;
  @ApiProperty() reason!: string;
  @day() transferredOn!: string;
}

export class TicklerView {
  @ApiProperty({ enum: TICKLER_KINDS, enumName: 'TicklerKind' }) kind!: string;
  @day() dueOn!: string;
  @day() raisedOn!: string;
}

export class SoftExitReversalView {
  @day() exitDate!: string;
  @ApiProperty() lateContactId!: string;
  @day() reversedOn!: string;
}

/** DESIGN.md "Request and response fields": GET /api/v1/cases/{id}. */
export class CaseStateResponse {
  @ApiProperty() caseId!: string;
  @ApiProperty({ description: 'The stream revision this state was folded to (also the ETag)' })
  revision!: number;
  @ApiProperty({ enum: CASE_STATUSES, enumName: 'CaseStatus' }) status!: string;
  @ApiProperty({ enum: PROGRAMS, enumName: 'Program' }) program!: string;
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
    type: SuspensionView,
    nullable: true,
    description:
      'R16 v2: the pending suspension for closure, beside the status (it pauses nothing)',
  })
  suspension!: SuspensionView | null;
  @ApiProperty({
    type: SuspensionView,
    nullable: true,
    description: 'R16 v2: the same pending suspension, under the name the worklists use',
  })
  pendingSuspension!: SuspensionView | null;
  @ApiProperty({ type: ProgramExitView, nullable: true, description: 'R17: the exit in force' })
  programExit!: ProgramExitView | null;
  @ApiProperty({ type: FollowUpView, nullable: true, description: 'R20: the follow-up period' })
  followUp!: FollowUpView | null;
  // Inline (not the named ClosureReason): a $ref cannot be nullable in OpenAPI 3.0.
  @ApiProperty({ type: 'string', enum: CLOSURE_REASONS, nullable: true })
  closureReason!: string | null;
  @ApiProperty({ type: [EnrollmentView] }) enrollments!: EnrollmentView[];
  @ApiProperty({ type: [ContactView], description: 'Contacts and contact attempts' })
  contacts!: ContactView[];
  @ApiProperty({ type: [BarrierView] }) barriers!: BarrierView[];
  @ApiProperty({ type: [PlannedGapView] }) plannedGaps!: PlannedGapView[];
  @ApiProperty({ type: [GoalView] }) goals!: GoalView[];
  @ApiProperty({ type: [AssessmentView] }) assessments!: AssessmentView[];
  @ApiProperty({ type: EmploymentView, nullable: true }) employment!: EmploymentView | null;
  @ApiProperty({ type: [TransferView], description: 'R12: assignments, oldest first' })
  transfers!: TransferView[];
  @ApiProperty({ type: [TicklerView], description: 'Ticklers raised so far' })
  ticklersRaised!: TicklerView[];
  @ApiProperty({ type: [SoftExitReversalView], description: 'R21: reversed soft exits' })
  softExitReversals!: SoftExitReversalView[];
  @ApiPropertyOptional({ type: 'string', format: 'date-time' }) asOf?: string;
}
