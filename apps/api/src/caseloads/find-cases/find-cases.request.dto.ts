import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  CASE_STATUS_FILTERS,
  PROGRAMS,
  type CaseStatusFilter,
  type Program,
} from '@caseledger/domain';
import { PagingQueryDto } from '../shared/paging.request.dto';

export const STAFF_OR_CUSTOMER_ID = /^[\w.@:-]{1,128}$/;

/** DESIGN.md "Additions": GET /api/v1/cases?customerId=&name=&careerCenterId=&status=&caseManagerId=. */
export class FindCasesQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ example: 'cust-1042', maxLength: 128 })
  @IsOptional()
  @Matches(STAFF_OR_CUSTOMER_ID, { message: 'letters, digits and . _ @ : - (at most 128)' })
  customerId?: string;

  @ApiPropertyOptional({
    description: 'First or last name, by prefix; case and accents are ignored ("zo" finds "Zoë")',
    example: 'love',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'cc-1', maxLength: 128 })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  careerCenterId?: string;

  @ApiPropertyOptional({ example: 'staff-cm-1', maxLength: 128 })
  @IsOptional()
  @Matches(STAFF_OR_CUSTOMER_ID, { message: 'letters, digits and . _ @ : - (at most 128)' })
  caseManagerId?: string;

  @ApiPropertyOptional({ enum: PROGRAMS, enumName: 'Program' })
  @IsOptional()
  @IsIn(PROGRAMS)
  program?: Program;

  @ApiPropertyOptional({
    enum: CASE_STATUS_FILTERS,
    enumName: 'CaseStatusFilter',
    description: 'SUSPENDED: the cases with a pending suspension (R16 v2; beside the status)',
  })
  @IsOptional()
  @IsIn(CASE_STATUS_FILTERS)
  status?: CaseStatusFilter;
}

export class CustomerCasesQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUS_FILTERS, enumName: 'CaseStatusFilter' })
  @IsOptional()
  @IsIn(CASE_STATUS_FILTERS)
  status?: CaseStatusFilter;
}
