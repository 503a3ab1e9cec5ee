import type { SqlClient } from '@caseledger/event-store';

/**
 * Seeding for the benches that fold many cases (bench:projections,
 * bench:reports): the store's own table format written directly with
 * server-side generate_series, one cohort of cases at a time, every case's
 * events interleaved with its cohort's (ORDER BY r, c), as live traffic would
 * leave them. Case c's id is a UUID derived from c, its events dated from
 * 2024-01-02.
 */
export const CASE_ID = `'00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0')`;
export const ON = (offset: string) => `to_char(date '2024-01-02' + ${offset}, 'YYYY-MM-DD')`;
const NOTES = `'progress', 'Attending welding classes, on track', 'justification', 'Needs continued services until certification'`;

export interface CaseEventOptions {
  /** SQL for the program of case c (default every case WIOA_ADULT). */
  programSql?: string;
  /** A last event that replaces revision r where `when` holds (e.g. a soft exit). */
  last?: { when: string; type: string; dataSql: string };
}

/** One event of case c at revision r, as the domain writes it: `type` and `data` columns. */
export function caseEventSql(options: CaseEventOptions = {}): string {
  const program = options.programSql ?? `'WIOA_ADULT'`;
  const last = options.last;
  return `
  CASE ${last ? `WHEN ${last.when} THEN '${last.type}'` : ''}
       WHEN r = 0 THEN 'CaseOpened' WHEN r = 1 THEN 'ActivityEnrolled'
       ELSE (ARRAY['ContactRecorded','ContactAttempted','BarrierIdentified','ContactAttempted','GoalSet','AssessmentRecorded'])[((r - 2) % 6) + 1] END AS type,
  CASE ${last ? `WHEN ${last.when} THEN ${last.dataSql}` : ''}
       WHEN r = 0 THEN jsonb_build_object('caseId', ${CASE_ID},
         'customer', jsonb_build_object('id', 'cust-' || c, 'firstName', 'Customer', 'lastName', 'No. ' || c),
         'program', ${program}, 'careerCenterId', 'cc-' || (c % 20),
         'localAreaId', CASE WHEN c % 2 = 0 THEN 'MA-DEFAULT' ELSE 'MO-DEFAULT' END,
         'caseManagerId', 'cm-' || (c % 500), 'openedOn', ${ON('0')},
         'policy', jsonb_build_object('contactIntervalDays', 60, 'softExitWindowDays', 90, 'followUpPeriodDays', 30))
       WHEN r = 1 THEN jsonb_build_object('enrollmentId', 'enr-' || c, 'activityType', 'TRAINING',
         'activityName', 'Welding certificate', 'providerName', 'Tech College', 'startDate', ${ON('1')})
       WHEN (r - 2) % 6 = 0 THEN jsonb_build_object('contactId', 'ct-' || c || '-' || r, 'method', 'IN_PERSON',
         'party', 'CUSTOMER', 'outcome', 'REACHED', 'occurredOn', ${ON('r * 3')}, 'qualifying', true, ${NOTES})
       WHEN (r - 2) % 6 = 1 THEN jsonb_build_object('contactId', 'ct-' || c || '-' || r, 'method', 'TELEPHONE',
         'party', 'CUSTOMER', 'outcome', 'NO_ANSWER', 'occurredOn', ${ON('r * 3')}, 'qualifying', false, 'reason', 'NO_ANSWER', ${NOTES})
       WHEN (r - 2) % 6 = 2 THEN jsonb_build_object('barrierId', 'bar-' || c || '-' || r, 'category', 'TRANSPORTATION',
         'description', 'No reliable transport to class', 'plan', 'Bus pass through support services', 'identifiedOn', ${ON('r * 3')})
       WHEN (r - 2) % 6 = 3 THEN jsonb_build_object('contactId', 'ct-' || c || '-' || r, 'method', 'LETTER',
         'party', 'CUSTOMER', 'outcome', 'SENT', 'occurredOn', ${ON('r * 3')}, 'qualifying', false, 'reason', 'OUTREACH_SENT', ${NOTES})
       WHEN (r - 2) % 6 = 4 THEN jsonb_build_object('goalId', 'goal-' || c || '-' || r, 'statement', 'Full-time welding job')
       ELSE jsonb_build_object('assessmentId', 'as-' || c || '-' || r, 'kind', 'READING', 'administeredOn', ${ON('r * 3')},
         'score', '11.2', 'summary', 'Reads at grade level')
  END AS data`;
}

/** Writes `cases` cases of `perCase` events each, `cohort` cases per statement, then VACUUM ANALYZE. */
export async function seedCases(
  sql: SqlClient,
  {
    cases,
    perCase,
    cohort,
    eventSql,
  }: { cases: number; perCase: number; cohort: number; eventSql: string },
): Promise<void> {
  const lastRevision = perCase - 1;
  for (let first = 0; first < cases; first += cohort) {
    const last = Math.min(cases, first + cohort) - 1;
    await sql.query(
      `INSERT INTO es_events (stream_id, revision, event_id, type, data, metadata, recorded_at, hash, previous_hash)
       SELECT 'case-' || ${CASE_ID}, r, id, type, data,
              jsonb_build_object('eventId', id::text, 'commandId', id::text, 'correlationId', id::text,
                'causationId', id::text, 'schemaVersion', 1, 'recordedAt', now()::text,
                'actor', jsonb_build_object('staffId', 'cm-' || (c % 500), 'role', 'case_manager', 'careerCenterId', 'cc-' || (c % 20))),
              now(), md5(c::text || '/' || r::text), ''
         FROM (SELECT c, r, gen_random_uuid() AS id, ${eventSql}
                 FROM generate_series(${first}, ${last}) AS c, generate_series(0, ${lastRevision}) AS r
                ORDER BY r, c) AS e`,
    );
    await sql.query(
      `INSERT INTO es_streams (stream_id, revision, last_hash)
       SELECT 'case-' || ${CASE_ID}, ${lastRevision}, md5(c::text || '/' || ${lastRevision}::text)
         FROM generate_series(${first}, ${last}) AS c`,
    );
    if (first % (cohort * 10) === 0) process.stdout.write(`\r  seeded ${first + cohort} cases`);
  }
  process.stdout.write('\n');
  await sql.query('VACUUM ANALYZE es_events');
}
