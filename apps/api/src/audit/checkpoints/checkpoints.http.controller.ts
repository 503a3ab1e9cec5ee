import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { SignedCheckpoint } from '@caseledger/event-store';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { AuditEvidence } from '../shared/audit-evidence';

class CheckpointDto {
  @ApiProperty() sequence!: number;
  @ApiProperty({ description: 'commit/prepare' }) position!: string;
  @ApiProperty() previousPosition!: string;
  @ApiProperty() eventCount!: number;
  @ApiProperty() totalEvents!: number;
  @ApiProperty() eventsHash!: string;
  @ApiProperty() previousHash!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() keyId!: string;
  @ApiProperty() hash!: string;
  @ApiProperty({ description: 'base64 Ed25519 over JCS(body)' }) signature!: string;
}

export class CheckpointsResponse {
  @ApiProperty() algorithm!: string;
  @ApiProperty() canonicalization!: string;
  @ApiProperty({ nullable: true, description: 'SPKI PEM' }) publicKey!: string | null;
  @ApiProperty({ nullable: true }) keyId!: string | null;
  @ApiProperty({ type: [CheckpointDto] }) checkpoints!: SignedCheckpoint[];
}

@Controller('api/v1/audit')
@ApiTags('audit')
export class CheckpointsHttpController {
  constructor(private readonly evidence: AuditEvidence) {}

  @Get('checkpoints')
  @ApiOperation({
    summary: 'The signed store checkpoints and the public key that verifies them',
    description:
      'Every checkpoint in sequence order. hash = SHA-256 of JCS(body) (RFC 8785); signature = Ed25519 over the same bytes. README "For auditors" defines every field.',
  })
  @ApiOkResponse({ type: CheckpointsResponse })
  @ApiAuthProblems()
  async listCheckpoints(): Promise<CheckpointsResponse> {
    const { checkpoints } = await this.evidence.checkpointStore();
    return {
      algorithm: 'Ed25519',
      canonicalization: 'RFC 8785 (JCS)',
      publicKey: this.evidence.keys.publicKeyPem ?? null,
      keyId: this.evidence.keys.keyId ?? null,
      checkpoints: await checkpoints.list(),
    };
  }
}
