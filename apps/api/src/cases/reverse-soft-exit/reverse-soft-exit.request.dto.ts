import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';
import { RecordContactRequestDto } from '../record-contact/record-contact.request.dto';

export class ReverseSoftExitRequestDto {
  @ApiProperty({
    type: RecordContactRequestDto,
    description: 'R21: the late qualifying contact, dated inside the 90 days before the exit',
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => RecordContactRequestDto)
  contact!: RecordContactRequestDto;

  @ApiProperty({ description: 'R21: why the late entry is accepted' })
  @IsString()
  @IsNotBlank()
  @MaxLength(4000)
  justification!: string;
}
