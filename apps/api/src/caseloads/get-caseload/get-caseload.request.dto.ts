import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListCaseloadsQueryDto } from '../list-caseloads/list-caseloads.request.dto';

export class CaseloadQueryDto extends ListCaseloadsQueryDto {
  @ApiPropertyOptional({
    description:
      'The caseload as it stood then, from the log: a date (the end of that day) or an ISO-8601 timestamp',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}
