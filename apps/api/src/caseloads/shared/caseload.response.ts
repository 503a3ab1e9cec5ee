import { ApiProperty } from '@nestjs/swagger';
import { CASE_STATUSES, CLOSURE_REASONS, PROGRAMS, TICKLER_KINDS } from '@caseledger/domain';

const date = (description?: string) =>
  ApiProperty({ type: 'string', format: 'date', nullable: true, description });

/** One case of a caseload (DESIGN.md contract fields first; more added, none renamed). */
export class CaseloadCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() customerName!: string;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @date('R9: the local contact standard (tickler)') contactDueOn!: string | null;
  @date('R8: the case soft exits once the local date is after it') softExitDueOn!: string | null;
  @ApiProperty({
    description:
      "R9: contactDueOn has passed in the area's time zone today (derived at query time)",
  })
  contactOverdue!: boolean;
  @ApiProperty({ description: 'R11: barriers not yet overcome' }) openBarriers!: number;
  @ApiProperty({ enum: PROGRAMS }) program!: string;
  @ApiProperty() localAreaId!: string;
  @ApiProperty() careerCenterId!: string;
  @ApiProperty() caseManagerId!: string;
  @date('R8/R9') lastQualifyingContactOn!: string | null;
  @date('R19/R20: the next follow-up contact owed (FOLLOW_UP_DUE tickler)')
  followUpDueOn!: string | null;
  @ApiProperty({ description: 'R19/R20: followUpDueOn has passed today (a follow-up is owed)' })
  followUpDue!: boolean;
  @ApiProperty({
    type: [String],
    enum: TICKLER_KINDS,
    description: 'The ticklers due today: CONTACT_DUE (R9), FOLLOW_UP_DUE (R19, R20)',
  })
  ticklers!: string[];
  @date('R14 v2/R17: the program exit date (last day of service)') exitDate!: string | null;
  @date('R14 v2: the day the closure was approved') closedOn!: string | null;
  @date('R20: the last day of the twelve-month follow-up') followUpUntil!: string | null;
  @ApiProperty({ description: 'R16 v2: a suspension for closure awaits review' })
  suspensionPending!: boolean;
  @date('The nearest of the deadlines (the listing is sorted by it)') nextDueOn!: string | null;
  @ApiProperty({ description: 'R7: letters and e-mails awaiting the customer response' })
  outreachAwaitingResponse!: number;
  @date('R16 v2: the pending suspension for closure was asked for on') suspendedSince!:
    string | null;
  @ApiProperty({ description: 'The store position (commit/prepare) this row was built to' })
  position!: string;
}

export class FreshnessDto {
  @ApiProperty({ description: 'The store position (commit/prepare) the read model was built to' })
  position!: string;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the projector last committed',
  })
  updatedAt!: string | null;
  @ApiProperty({ description: 'Events in the store not yet applied (counted up to 1000)' })
  eventsBehind!: number;
}

export class CaseloadPageDto {
  @ApiProperty({ type: [CaseloadCaseDto] }) cases!: CaseloadCaseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Cases matching the filter (all pages)' }) total!: number;
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
}

/** DESIGN.md: GET /api/v1/caseloads/{caseManagerId}. */
export class CaseManagerCaseloadDto extends CaseloadPageDto {
  @ApiProperty() caseManagerId!: string;
}

/** R16 v2: who asked for the closure, why and when (the reviewer's basis). */
export class PendingSuspensionDto {
  @ApiProperty({ enum: CLOSURE_REASONS, enumName: 'ClosureReason' }) reason!: string;
  @ApiProperty() details!: string;
  @ApiProperty({ type: 'string', format: 'date' }) suspendedOn!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Staff id (null on a v1 event)' })
  suspendedBy!: string | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'R14: the job with EMPLOYMENT_ATTAINED',
  })
  employerName!: string | null;
}

export class SuspensionQueueCaseDto extends CaseloadCaseDto {
  @ApiProperty({ type: PendingSuspensionDto }) suspension!: PendingSuspensionDto;
}

export class SuspensionQueueDto {
  @ApiProperty({ type: [SuspensionQueueCaseDto] }) cases!: SuspensionQueueCaseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Suspensions awaiting review (all pages)' }) total!: number;
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
}

export class CaseloadSizeDto {
  @ApiProperty() caseManagerId!: string;
  @ApiProperty({ description: 'Cases not closed (ACTIVE and SOFT_EXITED)' }) open!: number;
  @ApiProperty() active!: number;
  @ApiProperty() softExited!: number;
  @ApiProperty({ description: 'R16 v2: suspensions awaiting review' }) suspensionPending!: number;
  @ApiProperty({ description: 'R9: contact overdue today' }) contactOverdue!: number;
  @ApiProperty({ description: 'R19/R20: follow-up contact owed today' }) followUpDue!: number;
}

export class CaseloadSizesDto {
  @ApiProperty({ type: [CaseloadSizeDto] }) caseManagers!: CaseloadSizeDto[];
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
}
