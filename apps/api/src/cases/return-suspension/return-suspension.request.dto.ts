import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../../common/http/text.validator';

export class ReturnSuspensionRequestDto {
  @ApiProperty() @IsString() @IsNotBlank() @MaxLength(4000) requestedInformation!: string;
}
