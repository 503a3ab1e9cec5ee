import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PagingQueryDto } from '../shared/paging.request.dto';

export class CaseloadQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({
    description:
      'The caseload as it stood then, from the log: a date (the end of that day) or an ISO-8601 timestamp',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}
