import type { Position, RecordedEvent } from '../event-store.port';
import { comparePositions } from '../event-store.port';
import { runMigrations, type Migration } from '../migrations';
import type { SqlClient, SqlExecutor } from '../sql/sql-client';

/**
 * Poison-event parking for the consumers of the log (the caseload projector,
 * the deadline reactor, any future one). A consumer that cannot apply an
 * event records it here, with the error, and goes on with the others: one bad
 * event must never stall the read side for every case. The later events of
 * the same stream are parked behind it (held), so a consumer never applies a
 * stream's events out of order; an operator lists them and, once the cause is
 * fixed, retries them (`npm run cli -- parked …`), oldest first per stream.
 */
export const PARKED_EVENTS_TABLE = 'parked_events';
export const PARKED_EVENTS_MIGRATION_NAMESPACE = 'parked-events';

export const parkedEventsMigrations: readonly Migration[] = [
  {
    id: '001-parked-events',
    sql: `
CREATE TABLE IF NOT EXISTS ${PARKED_EVENTS_TABLE} (
  id bigserial PRIMARY KEY,
  consumer text NOT NULL,
  stream_id text NOT NULL,
  revision integer NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  pos_commit bigint NOT NULL,
  pos_prepare bigint NOT NULL,
  -- The recorded event as the consumer read it (data, metadata, hash).
  event jsonb NOT NULL,
  error text NOT NULL,
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  last_failed_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 1,
  UNIQUE (consumer, event_id)
);
CREATE INDEX IF NOT EXISTS ${PARKED_EVENTS_TABLE}_stream_idx ON ${PARKED_EVENTS_TABLE} (consumer, stream_id);
`,
  },
];

export interface ParkedEvent {
  id: string;
  consumer: string;
  streamId: string;
  revision: number;
  eventId: string;
  eventType: string;
  position: Position;
  event: RecordedEvent;
  error: string;
  firstFailedAt: string;
  lastFailedAt: string;
  attempts: number;
}

export interface ParkedFilter {
  consumer?: string;
  id?: string;
}

interface Row {
  id: string;
  consumer: string;
  stream_id: string;
  revision: number;
  event_id: string;
  event_type: string;
  pos_commit: string;
  pos_prepare: string;
  event: unknown;
  error: string;
  first_failed_at: string;
  last_failed_at: string;
  attempts: number;
}

/** An error as one line for the table (its stack stays in the consumer's log). */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? 'unknown error');
  return text.slice(0, 2000);
}

const COLUMNS = `id::text AS id, consumer, stream_id, revision, event_id, event_type,
  pos_commit::text AS pos_commit, pos_prepare::text AS pos_prepare, event::text AS event, error,
  to_char(first_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_failed_at,
  to_char(last_failed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_failed_at,
  attempts`;

function eventToJson(event: RecordedEvent): string {
  return JSON.stringify({
    ...event,
    position: {
      commit: event.position.commit.toString(),
      prepare: event.position.prepare.toString(),
    },
  });
}

function fromRow(row: Row): ParkedEvent {
  const raw = (typeof row.event === 'string' ? JSON.parse(row.event) : row.event) as Omit<
    RecordedEvent,
    'position'
  > & { position: { commit: string; prepare: string } };
  const position = { commit: BigInt(row.pos_commit), prepare: BigInt(row.pos_prepare) };
  return {
    id: row.id,
    consumer: row.consumer,
    streamId: row.stream_id,
    revision: row.revision,
    eventId: row.event_id,
    eventType: row.event_type,
    position,
    event: { ...raw, position },
    error: row.error,
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    attempts: row.attempts,
  };
}

export class ParkedEvents {
  constructor(private readonly sql: SqlClient) {}

  /** Outside any transaction (a retrier without one of its own). */
  get executor(): SqlExecutor {
    return this.sql;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.sql, PARKED_EVENTS_MIGRATION_NAMESPACE, parkedEventsMigrations);
  }

  /**
   * Parks `event` for `consumer` (inside the caller's transaction when `db` is
   * one, so the consumer's checkpoint moves past it in the same commit). Parking
   * it again counts one more attempt.
   */
  async park(
    db: SqlExecutor,
    consumer: string,
    event: RecordedEvent,
    error: unknown,
  ): Promise<void> {
    await db.query(
      `INSERT INTO ${PARKED_EVENTS_TABLE}
         (consumer, stream_id, revision, event_id, event_type, pos_commit, pos_prepare, event, error)
       VALUES ($1, $2, $3, $4, $5, $6::bigint, $7::bigint, $8::jsonb, $9)
       ON CONFLICT (consumer, event_id) DO UPDATE
          SET error = EXCLUDED.error, last_failed_at = now(),
              attempts = ${PARKED_EVENTS_TABLE}.attempts + 1`,
      [
        consumer,
        event.streamId,
        event.revision,
        event.eventId,
        event.type,
        event.position.commit.toString(),
        event.position.prepare.toString(),
        eventToJson(event),
        describeError(error),
      ],
    );
  }

  /** The streams `consumer` has parked events of (all of them: the list stays short). */
  async parkedStreams(db: SqlExecutor, consumer: string): Promise<Set<string>> {
    const { rows } = await db.query<{ stream_id: string }>(
      `SELECT DISTINCT stream_id FROM ${PARKED_EVENTS_TABLE} WHERE consumer = $1`,
      [consumer],
    );
    return new Set(rows.map((r) => r.stream_id));
  }

  async list(filter: ParkedFilter = {}, db: SqlExecutor = this.sql): Promise<ParkedEvent[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.consumer !== undefined) {
      params.push(filter.consumer);
      where.push(`consumer = $${params.length}`);
    }
    if (filter.id !== undefined) {
      params.push(filter.id);
      where.push(`id = $${params.length}::bigint`);
    }
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM ${PARKED_EVENTS_TABLE}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY consumer, pos_commit, pos_prepare`,
      params,
    );
    return rows.map(fromRow);
  }

  /** Parked events per consumer (for /metrics and /health). */
  async counts(db: SqlExecutor = this.sql): Promise<Record<string, number>> {
    const { rows } = await db.query<{ consumer: string; n: string }>(
      `SELECT consumer, count(*)::text AS n FROM ${PARKED_EVENTS_TABLE} GROUP BY consumer`,
    );
    return Object.fromEntries(rows.map((r) => [r.consumer, Number(r.n)]));
  }

  /** Removes a parked event once applied (in the transaction that applied it, where there is one). */
  async remove(db: SqlExecutor, id: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `DELETE FROM ${PARKED_EVENTS_TABLE} WHERE id = $1::bigint`,
      [id],
    );
    return rowCount > 0;
  }

  /** A retry that failed again: one more attempt, the newest error. */
  async recordFailure(id: string, error: unknown): Promise<void> {
    await this.sql.query(
      `UPDATE ${PARKED_EVENTS_TABLE}
          SET error = $2, last_failed_at = now(), attempts = attempts + 1
        WHERE id = $1::bigint`,
      [id, describeError(error)],
    );
  }
}

/**
 * How a consumer re-applies the parked events of one stream, oldest first.
 * It removes each event it applied (in the same transaction as its effect,
 * where it has one) and stops at the first that fails again, throwing its error.
 */
export interface ParkedEventRetrier {
  readonly consumer: string;
  retryStream(events: readonly ParkedEvent[], parked: ParkedEvents): Promise<void>;
}

export interface RetryReport {
  /** Parked events applied and removed. */
  applied: number;
  /** Streams whose retry failed again, with the event it stopped at. */
  failed: Array<{ consumer: string; streamId: string; id: string; error: string }>;
  /** Consumers that have parked events but no retrier here. */
  unknownConsumers: string[];
}

/**
 * Retries parked events: every stream with a parked event matching `filter`
 * (for `id`, the stream of that event) is retried from its oldest parked event
 * on, so a stream's events are never applied out of order.
 */
export async function retryParkedEvents(
  parked: ParkedEvents,
  retriers: readonly ParkedEventRetrier[],
  filter: ParkedFilter = {},
): Promise<RetryReport> {
  const report: RetryReport = { applied: 0, failed: [], unknownConsumers: [] };
  const selected = await parked.list(filter);
  const streams = new Map<string, { consumer: string; streamId: string }>();
  for (const event of selected) {
    streams.set(`${event.consumer}\u0001${event.streamId}`, {
      consumer: event.consumer,
      streamId: event.streamId,
    });
  }
  for (const { consumer, streamId } of streams.values()) {
    const retrier = retriers.find((r) => r.consumer === consumer);
    if (!retrier) {
      if (!report.unknownConsumers.includes(consumer)) report.unknownConsumers.push(consumer);
      continue;
    }
    const events = (await parked.list({ consumer })).filter((e) => e.streamId === streamId);
    events.sort((a, b) => comparePositions(a.position, b.position));
    const before = events.length;
    try {
      await retrier.retryStream(events, parked);
      report.applied += before;
    } catch (error) {
      const left = (await parked.list({ consumer })).filter((e) => e.streamId === streamId);
      report.applied += before - left.length;
      const stuck = left[0];
      if (stuck) {
        await parked.recordFailure(stuck.id, error);
        report.failed.push({ consumer, streamId, id: stuck.id, error: describeError(error) });
      }
    }
  }
  return report;
}

/** Token of the parked-events probe (/health and /metrics), present where consumers run. */
export const PARKED_EVENTS_PROBE = Symbol('PARKED_EVENTS_PROBE');

export interface ParkedEventsProbe {
  /** Parked events per consumer; a consumer with any is degraded. */
  counts(): Promise<Record<string, number>>;
}

export interface ConsumerHealth {
  /** degraded: some consumer has parked events (they wait for `npm run cli -- parked retry`). */
  status: 'up' | 'degraded' | 'down';
  parked?: Record<string, number>;
  error?: string;
}

/** The consumers' view for /health: a consumer with parked events is degraded. */
export async function consumerHealth(probe: ParkedEventsProbe): Promise<ConsumerHealth> {
  try {
    const parked = await probe.counts();
    const degraded = Object.values(parked).some((n) => n > 0);
    return { status: degraded ? 'degraded' : 'up', parked };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
