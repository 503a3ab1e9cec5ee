import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Module,
  Res,
  type DynamicModule,
} from '@nestjs/common';
import { DeadlineHealth } from '@caseledger/deadlines';
import {
  PARKED_EVENTS_PROBE,
  consumerHealth,
  type EventStore,
  type ParkedEventsProbe,
} from '@caseledger/event-store';
import {
  CommandMetrics,
  EVENT_STORE,
  LeaseModule,
  PlatformModule,
  type AppConfig,
  type Clock,
} from '@caseledger/platform';
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

/** The little of Fastify's reply these handlers use (the API app owns the HTTP types). */
interface Response {
  code(status: number): { send(body: unknown): unknown };
  header(name: string, value: string): unknown;
}

/** Operators' view of a worker process on its own: readiness, queues and metrics, no auth. */
@Controller()
class WorkerOpsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly deadlines: DeadlineHealth,
    private readonly metrics: CommandMetrics,
    @Inject(PARKED_EVENTS_PROBE) private readonly parked: ParkedEventsProbe,
  ) {}

  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const [eventStore, deadlines, consumers] = await Promise.all([
      this.store.ping().then(
        () => ({ status: 'up' as const }),
        (error: Error) => ({ status: 'down' as const, error: error.message }),
      ),
      this.deadlines.check(),
      consumerHealth(this.parked),
    ]);
    const up = eventStore.status === 'up' && deadlines.status !== 'down';
    // Parked events degrade, they do not take the process out of service: it
    // still applies every other event (an operator retries the parked ones).
    const status = !up ? 'unavailable' : consumers.status === 'degraded' ? 'degraded' : 'ok';
    res
      .code(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
      .send({ status, checks: { eventStore, deadlines, consumers } });
  }

  /** Liveness: the process answers (the same contract as the API's /health/live). */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the store and the queues (Redis) answer and no consumer has parked events. */
  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const [eventStore, deadlines, consumers] = await Promise.all([
      this.store.ping().then(
        () => ({ status: 'up' as const }),
        (error: Error) => ({ status: 'down' as const, error: error.message }),
      ),
      this.deadlines.check(),
      consumerHealth(this.parked),
    ]);
    const ready =
      eventStore.status === 'up' && deadlines.status !== 'down' && consumers.status !== 'degraded';
    void res.code(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ready ? 'ready' : 'not-ready',
      checks: { eventStore, deadlines, consumers },
    });
  }

  @Get('metrics')
  async prometheus(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}

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
      controllers: [WorkerOpsController],
    };
  }
}
