import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { ApiAuthProblems } from '../shared/command-route.decorator';
import { CaseReader } from '../shared/case-reader';

export class VerifyResponse {
  @ApiProperty({ description: 'True when every stored hash matches its recomputation' })
  valid!: boolean;
  @ApiProperty() eventCount!: number;
  @ApiPropertyOptional() firstInvalidRevision?: number;
}

@Controller('api/v1/cases')
@ApiTags('case queries')
export class VerifyCaseHttpController {
  constructor(private readonly reader: CaseReader) {}

  @Get(':caseId/verify')
  @ApiOperation({ summary: "Recompute the case's hash chain (tamper evidence)" })
  @ApiOkResponse({ type: VerifyResponse })
  @ApiAuthProblems()
  async verifyCase(
    @Param('caseId', IdParamPipe) caseId: string,
    @CurrentActor() actor: Actor,
  ): Promise<VerifyResponse> {
    const result = await this.reader.verify(actor, caseId);
    return {
      valid: result.valid,
      eventCount: result.eventCount,
      ...(result.firstInvalidRevision !== undefined
        ? { firstInvalidRevision: result.firstInvalidRevision }
        : {}),
    };
  }
}
