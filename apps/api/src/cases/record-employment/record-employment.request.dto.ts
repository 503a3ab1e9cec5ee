import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';
import { JobDto } from '../shared/nested.dto';

export class RecordEmploymentRequestDto {
  @ApiProperty({ type: JobDto }) @ValidateNested() @Type(() => JobDto) job!: JobDto;
  @ApiProperty({ format: 'date' }) @IsBusinessDate() startDate!: string;
}
