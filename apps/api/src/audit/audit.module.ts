import { Module } from '@nestjs/common';
import { CaseloadsModule } from '../caseloads/caseloads.module';
import { ComplianceHttpController } from './compliance/compliance.http.controller';

/** Auditors' read-only queries over the read models (issue 5). */
@Module({
  imports: [CaseloadsModule],
  controllers: [ComplianceHttpController],
})
export class AuditModule {}
