import { caseStreamId, centersReadableBy, readsAllCases, type Actor } from '@caseledger/domain';
import {
  exportLines,
  type CheckpointStore,
  type EventStore,
  type ExportFilters,
  type StoreTail,
} from '@caseledger/event-store';
import type { AppConfig } from '../config/app-config';
import { caseCentersFromLog } from './case-centers';
import type { CheckpointKeys } from './checkpoint-keys';

export interface AuditExportRequest {
  /** Undefined: the CLI, which runs with the database's own access and reads all. */
  actor?: Actor;
  filters: ExportFilters;
  keys: CheckpointKeys;
  config: AppConfig;
  /** PostgreSQL: the store's end ignoring the read horizon (openCheckpointStore gives it). */
  tail?: StoreTail;
  onStreamExported?: (streamId: string) => void;
  onProgress?: (phase: 'scoping' | 'export', events: number) => void;
}

/**
 * The export, filtered and scoped (R13 v2: need-to-know): which streams go
 * out is decided from each case's current career center as the log records
 * it. Only case streams are exported.
 */
export async function auditExport(
  store: EventStore,
  checkpoints: CheckpointStore,
  request: AuditExportRequest,
): Promise<AsyncGenerator<string>> {
  const { filters, actor } = request;
  const scoped = actor !== undefined && !readsAllCases(actor);
  const allowed = actor ? new Set(centersReadableBy(actor)) : undefined;
  const onlyStream = filters.caseId ? caseStreamId(filters.caseId) : undefined;
  const needCenters = scoped || filters.careerCenterId !== undefined;
  const centers = needCenters
    ? await caseCentersFromLog(store, (n) => request.onProgress?.('scoping', n))
    : undefined;
  const includeStream = (streamId: string): boolean => {
    if (!streamId.startsWith(caseStreamId(''))) return false;
    if (onlyStream && streamId !== onlyStream) return false;
    if (centers) {
      const center = centers.get(streamId);
      if (center === undefined) return false;
      if (filters.careerCenterId !== undefined && center !== filters.careerCenterId) return false;
      if (scoped && !allowed!.has(center)) return false;
    }
    return true;
  };
  return exportLines(store, checkpoints, {
    filters,
    includeStream,
    publicKeyPem: request.keys.publicKeyPem ?? '',
    keyId: request.keys.keyId ?? '',
    checkpointIntervalEvents: request.config.checkpoints.everyEvents,
    ...(request.tail ? { tail: request.tail } : {}),
    ...(request.onStreamExported ? { onStreamExported: request.onStreamExported } : {}),
    ...(request.onProgress ? { onProgress: (n: number) => request.onProgress!('export', n) } : {}),
  });
}
