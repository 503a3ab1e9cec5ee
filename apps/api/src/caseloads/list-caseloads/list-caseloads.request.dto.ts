import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { QueryInt } from '../../common/http/query-int';
import {
  CASE_STATUS_FILTERS,
  TICKLER_KINDS,
  type CaseStatusFilter,
  type TicklerKind,
} from '@caseledger/domain';
import { PagingQueryDto } from '../shared/paging.request.dto';

export class ListCaseloadsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) careerCenterId?: string;

  @ApiPropertyOptional({
    enum: CASE_STATUS_FILTERS,
    description: 'SUSPENDED: the cases with a pending suspension (R16 v2; beside the status)',
  })
  @IsOptional()
  @IsIn(CASE_STATUS_FILTERS)
  status?: CaseStatusFilter;

  @ApiPropertyOptional({
    enum: TICKLER_KINDS,
    description: 'Only cases with this tickler due today (R9 CONTACT_DUE, R19/R20 FOLLOW_UP_DUE)',
  })
  @IsOptional()
  @IsIn(TICKLER_KINDS)
  tickler?: TicklerKind;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'R9: only contact-overdue cases (or only the others)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3650,
    description: 'Only cases whose nearest deadline is within this many days',
  })
  @IsOptional()
  @QueryInt(0, 3650)
  dueWithinDays?: number;
}
