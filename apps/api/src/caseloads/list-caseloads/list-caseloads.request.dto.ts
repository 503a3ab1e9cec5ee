import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { QueryInt } from '../../common/http/query-int';
import { CASE_STATUSES, type CaseStatus } from '@caseledger/domain';
import { PagingQueryDto } from '../shared/paging.request.dto';

export class ListCaseloadsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) careerCenterId?: string;

  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

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
