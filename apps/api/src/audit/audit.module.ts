import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CaseloadsModule } from '../caseloads/caseloads.module';
import { AccessRecordsHttpController } from './access/access-records.http.controller';
import { CheckpointsHttpController } from './checkpoints/checkpoints.http.controller';
import { ComplianceHttpController } from './compliance/compliance.http.controller';
import { ExplainHttpController } from './explain/explain.http.controller';
import { ExportHttpController } from './export/export.http.controller';
import { AccessRecordInterceptor } from './shared/access-record.interceptor';
import { AuditEvidence } from './shared/audit-evidence';
import { VerifyStoreHttpController } from './verify/verify-store.http.controller';

/**
 * Auditors' read-only queries and evidence an outsider can check:
 * the export, the signed checkpoints, store-wide verification and the access
 * records, which the interceptor writes for every read of personal data.
 */
@Module({
  imports: [CaseloadsModule],
  controllers: [
    ComplianceHttpController,
    CheckpointsHttpController,
    ExportHttpController,
    VerifyStoreHttpController,
    AccessRecordsHttpController,
    ExplainHttpController,
  ],
  providers: [AuditEvidence, { provide: APP_INTERCEPTOR, useClass: AccessRecordInterceptor }],
  exports: [AuditEvidence],
})
export class AuditModule {}
