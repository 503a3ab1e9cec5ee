import { Global, Module } from '@nestjs/common';
import {
  PARKED_EVENTS_PROBE,
  ParkedEvents,
  type ParkedEventsProbe,
  type SqlClient,
} from '@caseledger/event-store';
import { CommandMetrics, SQL_CLIENT } from '@caseledger/platform';
import { Gauge } from 'prom-client';

/**
 * Poison-event parking for the worker side's consumers (the caseload
 * projector, the deadline reactor): the dead-letter table, ready before any
 * consumer starts; `caseledger_parked_events{consumer}` in /metrics; and the
 * probe /health reports a consumer with parked events as degraded through.
 */
@Global()
@Module({
  providers: [
    {
      provide: ParkedEvents,
      useFactory: async (sql: SqlClient, metrics: CommandMetrics) => {
        const parked = new ParkedEvents(sql);
        await parked.migrate();
        const known = new Set<string>();
        new Gauge({
          name: 'caseledger_parked_events',
          help: 'Events a consumer could not apply and parked (npm run cli -- parked list)',
          labelNames: ['consumer'],
          registers: [metrics.registry],
          async collect() {
            try {
              const counts = await parked.counts();
              for (const consumer of Object.keys(counts)) known.add(consumer);
              // A consumer whose parked events were all retried shows 0, not its old count.
              for (const consumer of known) this.set({ consumer }, counts[consumer] ?? 0);
            } catch {
              // The database down shows in /health; the gauge keeps its last values.
            }
          },
        });
        return parked;
      },
      inject: [SQL_CLIENT, CommandMetrics],
    },
    {
      provide: PARKED_EVENTS_PROBE,
      useFactory: (parked: ParkedEvents): ParkedEventsProbe => ({ counts: () => parked.counts() }),
      inject: [ParkedEvents],
    },
  ],
  exports: [ParkedEvents, PARKED_EVENTS_PROBE],
})
export class ParkingModule {}
