import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReturnSuspensionRequestDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) requestedInformation!: string;
}
