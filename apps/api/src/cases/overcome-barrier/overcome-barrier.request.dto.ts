import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsBusinessDate } from '../../common/http/business-date.validator';

export class OvercomeBarrierRequestDto {
  @ApiProperty({ description: 'R11: how the barrier was overcome' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  how!: string;

  @ApiProperty({ format: 'date' }) @IsBusinessDate() overcomeOn!: string;
}
