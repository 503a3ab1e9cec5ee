import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { QueryInt } from '../../common/http/query-int';

/** Pages far past any real listing are a 400, not an SQL offset overflow. */
export const MAX_PAGE = 1_000_000;

export class PagingQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @QueryInt(1, MAX_PAGE)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @QueryInt(1, 500)
  pageSize?: number;
}
