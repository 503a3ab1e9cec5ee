import { ApiProperty } from '@nestjs/swagger';
import type { BusinessDate } from '@caseledger/domain';
import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';
import { JobDto } from '../shared/nested.dto';

export class RecordEmploymentRequestDto {
  @ApiProperty({ type: JobDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => JobDto)
  job!: JobDto;
  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() startDate!: BusinessDate;
}
