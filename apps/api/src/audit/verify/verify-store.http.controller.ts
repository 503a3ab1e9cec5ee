import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { caseStreamId } from '@caseledger/domain';
import { verifyStore, type StoreVerifyReport } from '@caseledger/event-store';
import { AllowRoles } from '../../common/auth/auth.decorators';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { validationProblem } from '../../common/problems/problem-details';
import { AuditEvidence } from '../shared/audit-evidence';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

@Controller('api/v1/audit')
@ApiTags('audit')
export class VerifyStoreHttpController {
  constructor(private readonly evidence: AuditEvidence) {}

  @Get('verify')
  @AllowRoles('auditor', 'admin')
  @ApiOperation({
    summary: 'Store-wide verification: every stream chain, every checkpoint',
    description:
      'Walks every event in global order (or one case with caseId) recomputing the hash chains, the checkpoints (count, events hash, signature, link) and each stream head. `ok: false` lists what failed.',
  })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiOkResponse({
    description:
      '{ok, events, streams, checkpoints, latestCheckpoint, uncoveredEvents, failures[]}',
  })
  @ApiAuthProblems()
  async verifyStore(@Query('caseId') caseId: string | undefined): Promise<StoreVerifyReport> {
    if (caseId !== undefined && !ID.test(caseId)) {
      throw validationProblem('caseId is malformed', [
        { field: 'caseId', message: 'expected an id' },
      ]);
    }
    const { checkpoints, heads, tail } = await this.evidence.checkpointStore();
    return verifyStore(this.evidence.store, checkpoints, {
      publicKey: this.evidence.keys.publicKey,
      ...(heads ? { heads } : {}),
      ...(tail ? { tail } : {}),
      intervalEvents: this.evidence.config.checkpoints.everyEvents,
      ...(caseId ? { streamId: caseStreamId(caseId) } : {}),
    });
  }
}
