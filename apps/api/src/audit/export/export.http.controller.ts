import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  actorMayRead,
  caseStreamId,
  isBusinessDate,
  notFound,
  type Actor,
} from '@caseledger/domain';
import { parsePosition, type ExportFilters, type Position } from '@caseledger/event-store';
import { auditExport, foldRecorded } from '@caseledger/platform';
import { CurrentActor, type AuthenticatedRequest } from '../../common/auth/auth.decorators';
import type { Response } from '../../common/http/http-types';
import { ApiAuthProblems } from '../../cases/shared/command-route.decorator';
import { assertMayRead } from '../../cases/shared/case-reader';
import { validationProblem, type FieldError } from '../../common/problems/problem-details';
import { AuditEvidence } from '../shared/audit-evidence';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * An instant from a timestamp (`2026-03-01T12:00:00Z`) or a date: `recordedFrom`
 * a date means from the start of that day, `recordedTo` through its end (UTC:
 * recording times are instants, not business dates).
 */
export function parseInstant(
  field: string,
  value: unknown,
  edge: 'start' | 'end',
  errors: FieldError[],
): Date | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && isBusinessDate(value)) {
    return new Date(`${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`);
  }
  const instant = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (
    typeof value !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(instant.getTime())
  ) {
    errors.push({ field, message: 'expected a date (YYYY-MM-DD) or an ISO-8601 timestamp' });
    return undefined;
  }
  return instant;
}

export interface ExportQuery {
  careerCenterId?: unknown;
  caseId?: unknown;
  fromPosition?: unknown;
  recordedFrom?: unknown;
  recordedTo?: unknown;
}

/** Checks the export's query; throws a 400 listing every bad field. */
export function parseExportFilters(query: ExportQuery): ExportFilters {
  const errors: FieldError[] = [];
  const filters: ExportFilters = {};
  const known = ['careerCenterId', 'caseId', 'fromPosition', 'recordedFrom', 'recordedTo'];
  for (const key of Object.keys(query)) {
    if (!known.includes(key))
      errors.push({ field: key, message: `unknown filter (known: ${known.join(', ')})` });
  }
  for (const field of ['careerCenterId', 'caseId'] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !ID.test(value))
      errors.push({ field, message: 'expected an id' });
    else filters[field] = value;
  }
  if (query.fromPosition !== undefined) {
    let position: Position | undefined;
    try {
      position =
        typeof query.fromPosition === 'string' ? parsePosition(query.fromPosition) : undefined;
    } catch {
      position = undefined;
    }
    if (!position)
      errors.push({
        field: 'fromPosition',
        message: 'expected a position such as 1234/56 (the last line\'s "position")',
      });
    else filters.fromPosition = position;
  }
  const from = parseInstant('recordedFrom', query.recordedFrom, 'start', errors);
  const to = parseInstant('recordedTo', query.recordedTo, 'end', errors);
  if (from) filters.recordedFrom = from;
  if (to) filters.recordedTo = to;
  if (from && to && from > to)
    errors.push({ field: 'recordedFrom', message: 'must be on or before recordedTo' });
  if (errors.length > 0) throw validationProblem('invalid export filters', errors);
  return filters;
}

@Controller('api/v1/audit')
@ApiTags('audit')
export class ExportHttpController {
  constructor(private readonly evidence: AuditEvidence) {}

  @Get('export')
  @ApiOperation({
    summary: 'Every event, with its metadata, hash and the signed checkpoints, as NDJSON',
    description:
      "One JSON object a line: `export` (header, public key), `event`, `elided` (an event in a checkpoint's range left out by the filters: position and hash only), `checkpoint`, `end`. Streamed with back-pressure; resume an interrupted export with `fromPosition` = the last line's `position`. Case managers and supervisors get the cases of their own and cleared centers only (R13). Verify offline with `node tools/verify-export.mjs`.",
  })
  @ApiQuery({ name: 'careerCenterId', required: false })
  @ApiQuery({ name: 'caseId', required: false })
  @ApiQuery({ name: 'fromPosition', required: false, description: 'exclusive, `commit/prepare`' })
  @ApiQuery({ name: 'recordedFrom', required: false, description: 'date or ISO-8601 timestamp' })
  @ApiQuery({ name: 'recordedTo', required: false, description: 'date or ISO-8601 timestamp' })
  @ApiOkResponse({ description: 'application/x-ndjson' })
  @ApiAuthProblems()
  async exportAuditLog(
    @Query() query: ExportQuery,
    @CurrentActor() actor: Actor,
    @Req() req: AuthenticatedRequest & { id?: unknown },
    @Res() res: Response,
  ): Promise<void> {
    const filters = parseExportFilters(query);
    if (filters.careerCenterId) actorMayRead(actor, filters.careerCenterId, 'cases');
    if (filters.caseId) {
      const events = await this.evidence.store.readStream(caseStreamId(filters.caseId));
      if (events.length === 0) throw notFound(`case ${filters.caseId} does not exist`, ['caseId']);
      assertMayRead(actor, foldRecorded(events));
    }
    const { checkpoints, tail } = await this.evidence.checkpointStore();
    const exported = new Set<string>();
    const lines = await auditExport(this.evidence.store, checkpoints, {
      actor,
      filters,
      keys: this.evidence.keys,
      config: this.evidence.config,
      ...(tail ? { tail } : {}),
      onStreamExported: (streamId) => exported.add(streamId),
    });
    res.code(200);
    res.header('content-type', 'application/x-ndjson; charset=utf-8');
    res.header('cache-control', 'no-store');
    try {
      // Fastify pipes the stream, waiting for 'drain' before pulling the next page: constant memory.
      void res.send(Readable.from(lines));
      await finished(res.raw);
    } catch {
      // The client went away (or the store failed mid-stream: the missing end line tells).
      res.raw.destroy();
    } finally {
      await this.evidence.access.record(
        {
          staffId: actor.staffId,
          role: actor.role,
          careerCenterId: actor.careerCenterId,
          route: 'GET /api/v1/audit/export',
          ...(typeof req.id === 'string' ? { correlationId: req.id } : {}),
        },
        [...exported].map((streamId) => streamId.slice(caseStreamId('').length)),
      );
    }
  }
}
