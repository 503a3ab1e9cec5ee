import { ApiProperty } from '@nestjs/swagger';
import { CASE_STATUSES, PROGRAMS } from '@caseledger/domain';
import { FreshnessDto } from '../shared/caseload.response';

const date = (description?: string) =>
  ApiProperty({ type: 'string', format: 'date', nullable: true, description });

/** One case found (the case-search read model's row). */
export class FoundCaseDto {
  @ApiProperty() caseId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ description: 'Blank once the personal data was disposed of' }) firstName!: string;
  @ApiProperty({ description: 'Blank once the personal data was disposed of' }) lastName!: string;
  @ApiProperty({ enum: PROGRAMS, enumName: 'Program' }) program!: string;
  @ApiProperty() careerCenterId!: string;
  @ApiProperty() localAreaId!: string;
  @ApiProperty() caseManagerId!: string;
  @ApiProperty({ enum: CASE_STATUSES, enumName: 'CaseStatus' }) status!: string;
  @ApiProperty({ type: 'string', format: 'date' }) openedOn!: string;
  @date('R14 v2/R17: the program exit date') exitDate!: string | null;
  @date('R14 v2: the day the closure was approved') closedOn!: string | null;
  @ApiProperty({ description: 'R16 v2: a suspension for closure awaits review' })
  suspensionPending!: boolean;
  @ApiProperty({ description: 'Records retention: the names were disposed of' })
  personalDataDisposed!: boolean;
}

export class FoundCasesPageDto {
  @ApiProperty({ type: [FoundCaseDto] }) cases!: FoundCaseDto[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Cases matching the filter (all pages)' }) total!: number;
  @ApiProperty({ type: FreshnessDto }) freshness!: FreshnessDto;
}

export class CustomerCasesDto extends FoundCasesPageDto {
  @ApiProperty() customerId!: string;
}
