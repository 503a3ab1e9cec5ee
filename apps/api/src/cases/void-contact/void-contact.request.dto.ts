import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class VoidContactRequestDto {
  @ApiProperty({ description: 'R22: why the contact was entered in error' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  reason!: string;
}
