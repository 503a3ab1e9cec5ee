import { Global, Module } from '@nestjs/common';
import { PROJECTION_LAG_PROBE } from '@caseledger/projections';
import { ProjectorsService } from './projectors.service';

/**
 * The read-model side of the worker (DESIGN.md architecture: projections). It relies on the global
 * PlatformModule (SQL client, event store, metrics). PROJECTION_LAG_PROBE lets
 * /health report how far behind the read models are; global, so the app's
 * health controller finds it whichever module imported the worker side.
 */
@Global()
@Module({
  providers: [ProjectorsService, { provide: PROJECTION_LAG_PROBE, useExisting: ProjectorsService }],
  exports: [PROJECTION_LAG_PROBE, ProjectorsService],
})
export class ProjectionsWorkerModule {}
