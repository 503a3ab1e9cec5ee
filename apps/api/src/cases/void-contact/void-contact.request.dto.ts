import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';

export class VoidContactRequestDto {
  @ApiProperty({ description: 'R22: why the contact was entered in error' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  reason!: string;
}
