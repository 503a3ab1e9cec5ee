import { Module } from '@nestjs/common';
import { CaseloadSizesHttpController } from './caseload-sizes/caseload-sizes.http.controller';
import { FindCasesHttpController } from './find-cases/find-cases.http.controller';
import { GetCaseloadHttpController } from './get-caseload/get-caseload.http.controller';
import { ListCaseloadsHttpController } from './list-caseloads/list-caseloads.http.controller';
import { ListSuspensionsHttpController } from './list-suspensions/list-suspensions.http.controller';
import { ReadModels } from './shared/read-models.service';

/**
 * Caseload queries, served from the caseload projection that the
 * worker side keeps up to date. Uses the global PlatformModule's providers.
 */
@Module({
  controllers: [
    ListCaseloadsHttpController,
    GetCaseloadHttpController,
    ListSuspensionsHttpController,
    FindCasesHttpController,
    CaseloadSizesHttpController,
  ],
  providers: [ReadModels],
  exports: [ReadModels],
})
export class CaseloadsModule {}
