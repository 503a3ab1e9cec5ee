import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { computeEventHash } from '@caseledger/event-store';

/**
 * Seeds the store straight through the adapter's own schema (es_events and
 * es_streams, as migrated) with COPY, every event carrying a valid hash chain
 * computed exactly as the adapter computes it (hash-chain.ts), so the store
 * verifies (`audit verify`) once checkpoints are signed over it.
 *
 * Each case has `perCase` events as the domain writes them (opened, enrolled,
 * then contacts, attempts, barriers, goals, assessments in turn). A cohort of
 * cases is written by one COPY (one transaction, so one xid: the global order
 * is (xid, seq)) and interleaved revision by revision, so every read-all page
 * touches many cases, as in service.
 */
export interface SeedShape {
  cases: number;
  perCase: number;
  /** Cases per COPY transaction. */
  cohort: number;
  /** Case managers: each one's caseload holds cases / managers cases. */
  managers: number;
}

const DAY = 86_400_000;
const OPENED = Date.UTC(2024, 0, 2);
const on = (days: number): string => new Date(OPENED + days * DAY).toISOString().slice(0, 10);
const NOTES = {
  progress: 'Attending welding classes, on track',
  justification: 'Needs continued services until certification',
};

export const seededCaseId = (c: number): string =>
  `00000000-0000-4000-8000-${c.toString(16).padStart(12, '0')}`;
export const managerOf = (c: number, shape: SeedShape): string => `cm-${c % shape.managers}`;
const centerOf = (c: number, shape: SeedShape): string => `cc-${(c % shape.managers) % 20}`;

/** Event r of case c: its type and data, as the domain's events carry them. */
export function seededEvent(
  c: number,
  r: number,
  shape: SeedShape,
): { type: string; data: unknown } {
  if (r === 0) {
    return {
      type: 'CaseOpened',
      data: {
        caseId: seededCaseId(c),
        customer: { id: `cust-${c}`, firstName: 'Customer', lastName: `No. ${c}` },
        program: 'WIOA_ADULT',
        careerCenterId: centerOf(c, shape),
        localAreaId: c % 2 === 0 ? 'MA-DEFAULT' : 'MO-DEFAULT',
        caseManagerId: managerOf(c, shape),
        openedOn: on(0),
        policy: { contactIntervalDays: 60, softExitWindowDays: 90, followUpPeriodDays: 30 },
      },
    };
  }
  if (r === 1) {
    return {
      type: 'ActivityEnrolled',
      data: {
        enrollmentId: `enr-${c}`,
        activityType: 'TRAINING',
        activityName: 'Welding certificate',
        providerName: 'Tech College',
        startDate: on(1),
      },
    };
  }
  const id = `${c}-${r}`;
  switch ((r - 2) % 6) {
    case 0:
      return {
        type: 'ContactRecorded',
        data: {
          contactId: `ct-${id}`,
          method: 'IN_PERSON',
          party: 'CUSTOMER',
          outcome: 'REACHED',
          occurredOn: on(r * 3),
          qualifying: true,
          ...NOTES,
        },
      };
    case 1:
    case 3:
      return {
        type: 'ContactAttempted',
        data: {
          contactId: `ct-${id}`,
          method: (r - 2) % 6 === 1 ? 'TELEPHONE' : 'LETTER',
          party: 'CUSTOMER',
          outcome: (r - 2) % 6 === 1 ? 'NO_ANSWER' : 'SENT',
          occurredOn: on(r * 3),
          qualifying: false,
          reason: (r - 2) % 6 === 1 ? 'NO_ANSWER' : 'OUTREACH_SENT',
          ...NOTES,
        },
      };
    case 2:
      return {
        type: 'BarrierIdentified',
        data: {
          barrierId: `bar-${id}`,
          category: 'TRANSPORTATION',
          description: 'No reliable transport to class',
          plan: 'Bus pass through support services',
          identifiedOn: on(r * 3),
        },
      };
    case 4:
      return {
        type: 'GoalSet',
        data: { goalId: `goal-${id}`, statement: 'Full-time welding job' },
      };
    default:
      return {
        type: 'AssessmentRecorded',
        data: {
          assessmentId: `as-${id}`,
          kind: 'READING',
          administeredOn: on(r * 3),
          score: '11.2',
          summary: 'Reads at grade level',
        },
      };
  }
}

/** COPY text format: JSON never holds a raw tab or newline, so only backslashes need doubling. */
const copyText = (text: string): string => text.replace(/\\/g, '\\\\');

/** One cohort's rows in COPY text format; `heads` receives each case's last revision and hash. */
function* cohortRows(
  first: number,
  last: number,
  shape: SeedShape,
  recordedAt: string,
  heads: Map<number, string>,
): Generator<string> {
  const previous = new Map<number, string>();
  for (let r = 0; r < shape.perCase; r++) {
    const lines: string[] = [];
    for (let c = first; c <= last; c++) {
      const { type, data } = seededEvent(c, r, shape);
      const eventId = randomUUID();
      const metadata = {
        commandId: eventId,
        correlationId: eventId,
        causationId: eventId,
        schemaVersion: 1,
        actor: {
          staffId: managerOf(c, shape),
          role: 'case_manager',
          careerCenterId: centerOf(c, shape),
        },
        eventId,
        recordedAt,
      };
      const before = previous.get(c) ?? '';
      const hash = computeEventHash(before, { type, data, metadata });
      previous.set(c, hash);
      lines.push(
        `case-${seededCaseId(c)}\t${r}\t${eventId}\t${type}\t${copyText(JSON.stringify(data))}\t${copyText(JSON.stringify(metadata))}\t${recordedAt}\t${hash}\t${before}\n`,
      );
    }
    yield lines.join('');
  }
  for (const [c, hash] of previous) heads.set(c, hash);
}

/**
 * Seeds `shape.cases` cases. The three es_events indexes are dropped first and
 * rebuilt (same names, same definitions) after the bulk load, the way a
 * restore does it: building an index once is far cheaper than maintaining it
 * row by row.
 */
export async function seedStore(
  client: Client,
  shape: SeedShape,
  onProgress: (cases: number) => void,
): Promise<void> {
  await client.query(`ALTER TABLE es_events DROP CONSTRAINT es_events_pkey,
                      DROP CONSTRAINT es_events_event_id_key`);
  await client.query('DROP INDEX es_events_position');
  const recordedAt = new Date().toISOString();
  for (let first = 0; first < shape.cases; first += shape.cohort) {
    const last = Math.min(shape.cases, first + shape.cohort) - 1;
    const heads = new Map<number, string>();
    await pipeline(
      Readable.from(cohortRows(first, last, shape, recordedAt, heads)),
      client.query(
        copyFrom(
          'COPY es_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash, previous_hash) FROM STDIN',
        ),
      ),
    );
    const streams: string[] = [];
    for (const [c, hash] of heads) {
      streams.push(`case-${seededCaseId(c)}\t${shape.perCase - 1}\t${hash}\n`);
    }
    await pipeline(
      Readable.from([streams.join('')]),
      client.query(copyFrom('COPY es_streams (stream_id, revision, last_hash) FROM STDIN')),
    );
    onProgress(last + 1);
  }
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query(`ALTER TABLE es_events ADD CONSTRAINT es_events_pkey PRIMARY KEY (stream_id, revision),
                      ADD CONSTRAINT es_events_event_id_key UNIQUE (event_id)`);
  await client.query('CREATE UNIQUE INDEX es_events_position ON es_events (txid, seq)');
  await client.query('VACUUM ANALYZE es_events');
  await client.query('VACUUM ANALYZE es_streams');
}
