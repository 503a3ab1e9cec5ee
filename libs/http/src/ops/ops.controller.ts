import {
  Controller,
  Get,
  HttpStatus,
  Inject,
  Optional,
  Res,
  SetMetadata,
  type Provider,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DEADLINE_HEALTH_PROBE, type DeadlineHealth } from '@caseledger/deadlines';
import {
  PARKED_EVENTS_PROBE,
  consumerHealth,
  type EventStore,
  type ParkedEventsProbe,
} from '@caseledger/event-store';
import { CommandMetrics, EVENT_STORE, REDIS } from '@caseledger/platform';
import { PROJECTION_LAG_PROBE, type ProjectionLagProbe } from '@caseledger/projections';
import type { Redis } from 'ioredis';

/** Route metadata: no bearer token asked (the API's auth guard reads it; the worker has none). */
export const PUBLIC_ROUTE = 'caseledger:public';
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * What a process answers on its operators' endpoints. The API pings Redis
 * (idempotency keys, rate limits) and reports the worker side's lag and
 * queues when it runs in-process; the worker process's work is the deadline
 * queues, so they decide its health and readiness.
 */
export interface OpsProfile {
  /** Redis is a check of its own, deciding /health and readiness. */
  redis: boolean;
  /** The deadline queues decide /health and readiness (otherwise, when present, only reported in /health). */
  deadlinesGate: boolean;
  /** Projection lag is reported in /health when projections run in the process. */
  projectionLag: boolean;
}

export const API_OPS: OpsProfile = { redis: true, deadlinesGate: false, projectionLag: true };
export const WORKER_OPS: OpsProfile = { redis: false, deadlinesGate: true, projectionLag: false };

export const OPS_PROFILE = Symbol('OPS_PROFILE');

/** The profile provider to register beside OpsController in a process's root module. */
export const opsProfile = (profile: OpsProfile): Provider => ({
  provide: OPS_PROFILE,
  useValue: profile,
});

/** The little of Fastify's reply these handlers use. */
interface Reply {
  code(status: number): { send(body: unknown): unknown };
  header(name: string, value: string): unknown;
}

type Check = { status: 'up' } | { status: 'down'; error: string };
type DeadlineCheck = Awaited<ReturnType<DeadlineHealth['check']>>;

async function check(probe: () => Promise<unknown>, timeoutMs = 2_000): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Operators' view of either process (DESIGN.md "Who uses it"): /health (every
 * check, 503 when a deciding one is down), /health/live (the process answers;
 * no dependency is asked, so an outage never restarts it), /health/ready (the
 * deciding checks up and no consumer with parked events: 503 takes the
 * process out of the load balancer) and /metrics (Prometheus). The probes of
 * the worker side are there when it runs in the process.
 */
@Controller()
@ApiTags('operations')
export class OpsController {
  constructor(
    @Inject(OPS_PROFILE) private readonly profile: OpsProfile,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: CommandMetrics,
    @Optional() @Inject(REDIS) private readonly redis?: Redis,
    @Optional() @Inject(PROJECTION_LAG_PROBE) private readonly projections?: ProjectionLagProbe,
    @Optional() @Inject(DEADLINE_HEALTH_PROBE) private readonly deadlines?: DeadlineHealth,
    @Optional() @Inject(PARKED_EVENTS_PROBE) private readonly parked?: ParkedEventsProbe,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Event store and Redis readiness (503 when one is down)' })
  async getHealth(@Res() res: Reply): Promise<void> {
    const [checks, projections] = await Promise.all([
      this.checks(),
      this.profile.projectionLag && this.projections
        ? this.projectionLag(this.projections)
        : undefined,
    ]);
    const up = this.up(checks);
    // Parked events degrade without taking the process out of service (it
    // still applies every other event; an operator retries the parked ones).
    const status = !up
      ? 'unavailable'
      : checks.consumers?.status === 'degraded'
        ? 'degraded'
        : 'ok';
    void res.code(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status,
      checks: {
        eventStore: checks.eventStore,
        ...(checks.redis ? { redis: checks.redis } : {}),
        ...(projections ? { projections } : {}),
        ...(checks.deadlines ? { deadlines: checks.deadlines } : {}),
        ...(checks.consumers ? { consumers: checks.consumers } : {}),
      },
    });
  }

  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: store, Redis, no parked consumer (503 when not ready)' })
  async getReadiness(@Res() res: Reply): Promise<void> {
    const checks = await this.checks();
    const ready = this.up(checks) && checks.consumers?.status !== 'degraded';
    void res.code(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ready ? 'ready' : 'not-ready',
      checks: {
        eventStore: checks.eventStore,
        ...(checks.redis ? { redis: checks.redis } : {}),
        ...(checks.deadlines && this.profile.deadlinesGate ? { deadlines: checks.deadlines } : {}),
        ...(checks.consumers ? { consumers: checks.consumers } : {}),
      },
    });
  }

  @Get('metrics')
  @Public()
  @ApiOperation({ summary: 'Prometheus metrics' })
  async getMetrics(@Res({ passthrough: true }) res: Reply): Promise<string> {
    res.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private async checks(): Promise<{
    eventStore: Check;
    redis?: Check;
    deadlines?: DeadlineCheck;
    consumers?: Awaited<ReturnType<typeof consumerHealth>>;
  }> {
    const redis = this.profile.redis ? this.redis : undefined;
    const [eventStore, redisCheck, deadlines, consumers] = await Promise.all([
      check(() => this.store.ping()),
      redis ? check(() => redis.ping()) : undefined,
      this.deadlines?.check(),
      this.parked ? consumerHealth(this.parked) : undefined,
    ]);
    return {
      eventStore,
      ...(redisCheck ? { redis: redisCheck } : {}),
      ...(deadlines ? { deadlines } : {}),
      ...(consumers ? { consumers } : {}),
    };
  }

  /** The deciding checks: the store, Redis (API) and the deadline queues (worker). */
  private up(checks: Awaited<ReturnType<OpsController['checks']>>): boolean {
    return (
      checks.eventStore.status === 'up' &&
      checks.redis?.status !== 'down' &&
      !(this.profile.deadlinesGate && (!checks.deadlines || checks.deadlines.status === 'down'))
    );
  }

  /** Lag is reported, not judged: a projection catching up is still serving. */
  private async projectionLag(
    probe: ProjectionLagProbe,
  ): Promise<{ status: 'up'; lag: unknown[] } | { status: 'down'; error: string }> {
    try {
      return { status: 'up', lag: await probe.lag() };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }
}
