import { Module } from '@nestjs/common';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { ProjectionsWorkerModule } from './projections/projections.module';

/**
 * The worker side (DESIGN.md architecture): deadline jobs and, beside them, the
 * projections. It relies on the global PlatformModule, which the process that
 * imports it provides: the worker process (main.ts) or the all-in-one app
 * (`AppModule.forRoot({ workers: [WorkerModule] })`). Keep this a short list.
 */
@Module({
  imports: [DeadlinesModule, ProjectionsWorkerModule],
})
export class WorkerModule {}
