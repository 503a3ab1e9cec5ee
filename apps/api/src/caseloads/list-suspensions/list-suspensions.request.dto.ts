import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PagingQueryDto } from '../shared/paging.request.dto';

export class ListSuspensionsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 128) careerCenterId?: string;
}
