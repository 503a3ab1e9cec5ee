import { ApiProperty } from '@nestjs/swagger';
import type { BusinessDate } from '@caseledger/domain';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';

export class OvercomeBarrierRequestDto {
  @ApiProperty({ description: 'R11: how the barrier was overcome' })
  @IsString()
  @IsNotBlank()
  @MaxLength(4000)
  how!: string;

  @ApiProperty({ type: String, format: 'date' }) @IsBusinessDate() overcomeOn!: BusinessDate;
}
