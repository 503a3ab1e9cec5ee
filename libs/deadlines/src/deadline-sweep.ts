import type { SqlExecutor } from '@caseledger/event-store';
import type { BusinessDate, TicklerKind } from '@caseledger/domain';
import { forEachLimit } from './concurrency';
import type { DeadlineKind } from './deadline-kind';
import type { DeadlineScheduler, ReconcileAction } from './deadline-queue';
import { desiredJobs, type CaseDeadlineView, type TimeZoneOf } from './desired-deadlines';

/** Every case that may have an open deadline, page by page. */
export interface OpenDeadlineSource {
  pages(pageSize: number): AsyncIterable<CaseDeadlineView[]>;
}

/**
 * Open deadlines from the caseload read model: one row per case with
 * its status, local area and the deadlines `evolve` derived; the raised
 * ticklers come from the folded state the row keeps.
 */
export class CaseloadDeadlineSource implements OpenDeadlineSource {
  constructor(
    private readonly sql: SqlExecutor,
    private readonly table = 'caseload',
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) throw new RangeError(`not a table name: ${table}`);
  }

  async *pages(pageSize: number): AsyncIterable<CaseDeadlineView[]> {
    let after = '';
    for (;;) {
      const { rows } = await this.sql.query<{
        case_id: string;
        status: string;
        local_area_id: string;
        // date columns read as text: PostgreSQL writes them YYYY-MM-DD
        soft_exit_due_on: BusinessDate | null;
        contact_due_on: BusinessDate | null;
        follow_up_due_on: BusinessDate | null;
        ticklers: string | null;
      }>(
        `SELECT case_id, status, local_area_id,
                soft_exit_due_on::text AS soft_exit_due_on,
                contact_due_on::text AS contact_due_on,
                follow_up_due_on::text AS follow_up_due_on,
                (state::json -> 'ticklersRaised')::text AS ticklers
           FROM ${this.table}
          WHERE status IN ('ACTIVE', 'SOFT_EXITED') AND case_id > $1
          ORDER BY case_id
          LIMIT $2`,
        [after, pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({
        caseId: r.case_id,
        status: r.status,
        localAreaId: r.local_area_id,
        softExitDueOn: r.soft_exit_due_on,
        contactDueOn: r.contact_due_on,
        followUpDueOn: r.follow_up_due_on,
        ticklersRaised: parseTicklers(r.ticklers),
      }));
      after = rows[rows.length - 1].case_id;
      if (rows.length < pageSize) return;
    }
  }
}

function parseTicklers(text: string | null): Array<{ kind: TicklerKind; dueOn: BusinessDate }> {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? (parsed as Array<{ kind: TicklerKind; dueOn: BusinessDate }>) : [];
}

export interface SweepReport {
  cases: number;
  /** Per action, how many jobs (of every kind) it was taken for. */
  actions: Record<ReconcileAction, number>;
  byKind: Record<DeadlineKind, number>;
}

export interface SweepOptions {
  pageSize?: number;
  concurrency?: number;
}

/**
 * DESIGN.md: "a sweep job re-derives every open deadline from the read model,
 * so a lost or duplicated job changes nothing". Missing jobs are added, failed
 * ones retried, delayed ones whose instant has passed promoted; a job that names
 * another deadline is the reactor's to replace (the read model may lag it).
 */
export async function sweepDeadlines(
  source: OpenDeadlineSource,
  scheduler: DeadlineScheduler,
  timeZoneOf: TimeZoneOf,
  options: SweepOptions = {},
): Promise<SweepReport> {
  const report: SweepReport = {
    cases: 0,
    actions: { added: 0, moved: 0, removed: 0, promoted: 0, retried: 0, kept: 0, busy: 0 },
    byKind: { 'soft-exit': 0, 'contact-due': 0, 'follow-up': 0 },
  };
  for await (const page of source.pages(options.pageSize ?? 500)) {
    await forEachLimit(page, options.concurrency ?? 16, async (view) => {
      const desired = desiredJobs(view, timeZoneOf);
      const actions = await scheduler.reconcile(view.caseId, desired, 'sweep');
      for (const [kind, action] of Object.entries(actions) as Array<
        [DeadlineKind, ReconcileAction | 'none']
      >) {
        if (action === 'none') continue;
        report.actions[action]++;
        if (desired[kind]) report.byKind[kind]++;
      }
    });
    report.cases += page.length;
  }
  return report;
}
