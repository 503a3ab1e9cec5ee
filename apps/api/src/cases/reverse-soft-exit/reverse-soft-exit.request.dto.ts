import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { RecordContactRequestDto } from '../record-contact/record-contact.request.dto';

export class ReverseSoftExitRequestDto {
  @ApiProperty({
    type: RecordContactRequestDto,
    description: 'R21: the late qualifying contact, dated inside the 90 days before the exit',
  })
  @ValidateNested()
  @Type(() => RecordContactRequestDto)
  contact!: RecordContactRequestDto;

  @ApiProperty({ description: 'R21: why the late entry is accepted' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  justification!: string;
}
