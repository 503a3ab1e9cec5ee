import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@caseledger/domain';
import { CurrentActor } from '../../common/auth/auth.decorators';
import { IdParamPipe } from '../../common/http/case-id.pipe';
import { ApiAuthProblems } from '../shared/command-route.decorator';
import { CaseReader } from '../shared/case-reader';

class ActorDto {
  @ApiProperty() staffId!: string;
  @ApiProperty() role!: string;
  @ApiProperty() careerCenterId!: string;
}

class EventMetadataDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiProperty() commandId!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty() causationId!: string;
  @ApiProperty() schemaVersion!: number;
}

class HistoryEventDto {
  @ApiProperty() revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty({ type: EventMetadataDto }) metadata!: EventMetadataDto;
  @ApiProperty({ description: "SHA-256 chained to the previous event's hash" }) hash!: string;
  @ApiProperty() previousHash!: string;
}

export class CaseHistoryResponse {
  @ApiProperty() caseId!: string;
  @ApiProperty({ type: [HistoryEventDto] }) events!: HistoryEventDto[];
}

@Controller('api/v1/cases')
@ApiTags('case queries')
export class GetCaseHistoryHttpController {
  constructor(private readonly reader: CaseReader) {}

  @Get(':caseId/history')
  @ApiOperation({ summary: "The case's events as stored, with metadata and hashes (auditors)" })
  @ApiOkResponse({ type: CaseHistoryResponse })
  @ApiAuthProblems()
  async getCaseHistory(
    @Param('caseId', IdParamPipe) caseId: string,
    @CurrentActor() actor: Actor,
  ): Promise<CaseHistoryResponse> {
    const { events } = await this.reader.events(actor, caseId);
    return {
      caseId,
      events: events.map((e) => ({
        revision: e.revision,
        type: e.type,
        data: e.data,
        metadata: {
          eventId: e.eventId,
          recordedAt: e.metadata.recordedAt,
          actor: {
            staffId: e.metadata.actor.staffId,
            role: e.metadata.actor.role,
            careerCenterId: e.metadata.actor.careerCenterId,
          },
          commandId: e.metadata.commandId,
          correlationId: e.metadata.correlationId,
          causationId: e.metadata.causationId,
          schemaVersion: e.metadata.schemaVersion,
        },
        hash: e.hash,
        previousHash: e.previousHash,
      })),
    };
  }
}
