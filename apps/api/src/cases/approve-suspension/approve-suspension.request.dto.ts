import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ApproveSuspensionRequestDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) note?: string;
}
