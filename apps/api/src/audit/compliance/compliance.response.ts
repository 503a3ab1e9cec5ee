import { ApiProperty } from '@nestjs/swagger';
import { FreshnessDto } from '../../caseloads/shared/caseload.response';

const finding = (description: string) =>
  ApiProperty({
    description,
    type: 'object',
    properties: {
      count: { type: 'integer' },
      cases: { type: 'array', items: { type: 'object', additionalProperties: true } },
    },
  });

/** GET /api/v1/audit/compliance. */
export class ComplianceReportDto {
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) from!: string | null;
  @ApiProperty({ type: 'string', format: 'date', nullable: true }) to!: string | null;
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
  @finding(
    'R8/R17: past the soft-exit deadline but not exited (empty while the scheduler is healthy)',
  )
  softExitOverdue!: unknown;
  @ApiProperty({
    description: 'R9: contact-overdue cases per local area',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  contactOverdueByArea!: unknown[];
  @finding("R16: suspensions awaiting review longer than the area's suspensionReviewLimitDays")
  suspensionsAwaitingReview!: unknown;
  @finding('R19: EMPLOYMENT_ATTAINED closures without a verified follow-up contact')
  employmentClosuresWithoutFollowUp!: unknown;
  @finding('R11: barriers recorded without a plan') barriersWithoutPlan!: unknown;
}
