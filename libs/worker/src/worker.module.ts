import { Module, type DynamicModule } from '@nestjs/common';
import { OpsController, WORKER_OPS, opsProfile } from '@caseledger/http';
import { LeaseModule, PlatformModule, type AppConfig, type Clock } from '@caseledger/platform';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { ProjectionsWorkerModule } from './projections/projections.module';
import { ParkingModule } from './parking/parking.module';
import { StoreCheckpointsModule } from './checkpoints/store-checkpointer.service';

/**
 * The worker side (DESIGN.md architecture): deadline jobs and, beside them, the
 * projections. It relies on the global PlatformModule, which the process that
 * imports it provides: the worker process (WorkerProcessModule below, composed
 * by apps/worker/src/main.ts) or the all-in-one app (`AppModule.forRoot({ workers: [WorkerModule] })`).
 * Keep this a short list of imports.
 */
@Module({
  // LeaseModule: the single active consumer of the projector and the reactor (README "Operations": one active replica per consumer).
  // ParkingModule: where the projector and the reactor park events they cannot apply.
  // StoreCheckpointsModule: signed store checkpoints (DESIGN.md "Evidence an outsider can check").
  imports: [
    LeaseModule,
    ParkingModule,
    DeadlinesModule,
    ProjectionsWorkerModule,
    StoreCheckpointsModule,
  ],
})
export class WorkerModule {}

export interface WorkerProcessOptions {
  config: AppConfig;
  clock?: Clock;
}

/** `npm run start:worker`: the platform, the worker side and its ops endpoints (logs: main.ts). */
@Module({})
export class WorkerProcessModule {
  static forRoot(options: WorkerProcessOptions): DynamicModule {
    return {
      module: WorkerProcessModule,
      imports: [
        PlatformModule.forRoot({
          config: options.config,
          ...(options.clock ? { clock: options.clock } : {}),
        }),
        WorkerModule,
      ],
      // Store, deadline queues and consumers decide the worker's health (libs/http OpsController).
      controllers: [OpsController],
      providers: [opsProfile(WORKER_OPS)],
    };
  }
}
