import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class DisposeCustomerRequestDto {
  /** Why now (kept in the events and the key record; never personal data). */
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
  /** The retention schedule applied, e.g. "WIOA 2 CFR 200.334 + state schedule 7.3". */
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) retentionRule!: string;
}
