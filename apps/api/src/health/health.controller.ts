import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  PARKED_EVENTS_PROBE,
  consumerHealth,
  type EventStore,
  type ParkedEventsProbe,
} from '@caseledger/event-store';
import { CommandMetrics, EVENT_STORE, REDIS } from '@caseledger/platform';
import { PROJECTION_LAG_PROBE, type ProjectionLagProbe } from '@caseledger/projections';
import { DEADLINE_HEALTH_PROBE, type DeadlineHealth } from '@caseledger/deadlines';
import type { Response } from '../common/http/http-types';
import type { Redis } from 'ioredis';
import { Public } from '../common/auth/auth.decorators';

type Check = { status: 'up' } | { status: 'down'; error: string };

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
 * Operators' view (DESIGN.md "Who uses it"). Projection lag joins the checks
 * once a projections module is part of the process.
 */
@Controller()
@ApiTags('operations')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly metrics: CommandMetrics,
    // Present when the worker side (projections) runs in this process (issue 5: lag in /health).
    @Optional()
    @Inject(PROJECTION_LAG_PROBE)
    private readonly projections?: ProjectionLagProbe,
    // Present when the worker side runs in this process (issue 6: queue depth and failed jobs).
    @Optional()
    @Inject(DEADLINE_HEALTH_PROBE)
    private readonly deadlines?: DeadlineHealth,
    // Present when the worker side runs in this process: consumers with parked events are degraded.
    @Optional()
    @Inject(PARKED_EVENTS_PROBE)
    private readonly parked?: ParkedEventsProbe,
  ) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: 'Event store and Redis readiness (503 when one is down)' })
  async getHealth(@Res() res: Response): Promise<void> {
    const [eventStore, redis] = await Promise.all([
      check(() => this.store.ping()),
      check(() => this.redis.ping()),
    ]);
    const up = eventStore.status === 'up' && redis.status === 'up';
    const projections = this.projections ? await this.projectionLag(this.projections) : undefined;
    const deadlines = this.deadlines ? await this.deadlines.check() : undefined;
    const consumers = this.parked ? await consumerHealth(this.parked) : undefined;
    // Parked events degrade without taking the process out of service (it
    // still applies every other event; an operator retries the parked ones).
    const status = !up ? 'unavailable' : consumers?.status === 'degraded' ? 'degraded' : 'ok';
    void res.code(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status,
      checks: {
        eventStore,
        redis,
        ...(projections ? { projections } : {}),
        ...(deadlines ? { deadlines } : {}),
        ...(consumers ? { consumers } : {}),
      },
    });
  }

  /** Liveness: the process answers (no dependency is asked, so an outage never restarts it). */
  @Get('health/live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the event store and Redis answer, and no consumer in this
   * process has parked events (503 otherwise: take it out of the load balancer).
   */
  @Get('health/ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: store, Redis, no parked consumer (503 when not ready)' })
  async getReadiness(@Res() res: Response): Promise<void> {
    const [eventStore, redis] = await Promise.all([
      check(() => this.store.ping()),
      check(() => this.redis.ping()),
    ]);
    const consumers = this.parked ? await consumerHealth(this.parked) : undefined;
    const ready =
      eventStore.status === 'up' && redis.status === 'up' && consumers?.status !== 'degraded';
    void res.code(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send({
      status: ready ? 'ready' : 'not-ready',
      checks: { eventStore, redis, ...(consumers ? { consumers } : {}) },
    });
  }

  /** Lag is reported, not judged: a projection catching up is still serving (issue 5). */
  private async projectionLag(
    probe: ProjectionLagProbe,
  ): Promise<{ status: 'up'; lag: unknown[] } | { status: 'down'; error: string }> {
    try {
      return { status: 'up', lag: await probe.lag() };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }

  @Get('metrics')
  @Public()
  @ApiOperation({ summary: 'Prometheus metrics' })
  async getMetrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.header('content-type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
