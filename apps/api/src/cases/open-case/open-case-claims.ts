import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { caseStreamId } from '@caseledger/domain';
import { runMigrations, type EventStore, type SqlClient } from '@caseledger/event-store';
import { EVENT_STORE, SQL_CLIENT } from '@caseledger/platform';
import { findOpenCasesOf } from '@caseledger/projections';
import { ProblemException, problemType } from '../../common/problems/problem-details';

/**
 * One ACTIVE case per customer and program unless a duplicate is asked for
 * with a reason (DESIGN.md "Additions": finding cases).
 *
 * Why a claim row and not the read model alone: the case-search read model
 * lags the log, so two quick identical POSTs would both find nothing and both
 * open. Why not a row in the store's append transaction: the store is a port
 * with three adapters (EventStoreDB has no SQL transaction to join). So the
 * open first takes a claim on (customer, program) with one atomic statement
 * (INSERT … ON CONFLICT DO NOTHING, or a compare-and-set UPDATE), which
 * serialises concurrent opens across processes; only the holder appends. Every
 * judgement of "still active" is made against the log (the case's own
 * stream), never the read model: the read model only names candidates opened
 * before the claims existed or opened as allowed duplicates.
 *
 * A refused open releases its claim (no event is appended, R-refusals append
 * nothing). A process killed between claim and append leaves a claim whose
 * case never appears; it is taken over once older than CLAIM_GRACE_SECONDS.
 */
export const OPEN_CLAIMS_TABLE = 'open_case_claims';
const CLAIM_GRACE_SECONDS = 30;

export type CaseLifecycle = 'NONE' | 'ACTIVE' | 'SOFT_EXITED' | 'CLOSED';

export interface HeldClaim {
  /** Gives the claim back after a refused open (only if this call took it). */
  release(): Promise<void>;
}

export const duplicateCaseProblem = (existingCaseId: string, detail: string): ProblemException =>
  new ProblemException({
    type: problemType('duplicate-case'),
    title: 'The customer already has an active case in this program',
    status: 409,
    detail,
    existingCaseId,
  });

@Injectable()
export class OpenCaseClaims implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.sql, 'open-case-claims', [
      {
        id: '001-open-case-claims',
        sql: `CREATE TABLE IF NOT EXISTS ${OPEN_CLAIMS_TABLE} (
  customer_id text NOT NULL,
  program text NOT NULL,
  case_id text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, program)
)`,
      },
    ]);
  }

  /** The case's lifecycle as its own stream says (the log, not a read model). */
  async lifecycleOf(caseId: string): Promise<CaseLifecycle> {
    let status: CaseLifecycle = 'NONE';
    for (const event of await this.store.readStream(caseStreamId(caseId))) {
      if (event.type === 'CaseOpened' || event.type === 'SoftExitReversed') status = 'ACTIVE';
      else if (event.type === 'CaseClosed') status = 'CLOSED';
      else if (event.type === 'CaseSoftExited') status = 'SOFT_EXITED';
    }
    return status;
  }

  /**
   * Refuses (409 duplicate-case) when another ACTIVE case of this customer in
   * this program exists; otherwise holds the claim for `caseId`. With
   * `allowDuplicate` nothing is checked or claimed (the reason is recorded).
   */
  async claim(
    customerId: string,
    program: string,
    caseId: string,
    allowDuplicate: boolean,
  ): Promise<HeldClaim> {
    const none: HeldClaim = { release: () => Promise.resolve() };
    if (allowDuplicate) return none;
    // Older cases (before the claims, or allowed duplicates) are found through
    // the read model and judged by their own streams.
    for (const other of await findOpenCasesOf(this.sql, customerId, program)) {
      if (other !== caseId && (await this.lifecycleOf(other)) === 'ACTIVE')
        throw duplicateCaseProblem(
          other,
          `case ${other} of customer ${customerId} in ${program} is active; send allowDuplicate: true with a duplicateReason to open another`,
        );
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await this.sql.query<{ case_id: string }>(
        `INSERT INTO ${OPEN_CLAIMS_TABLE} (customer_id, program, case_id) VALUES ($1, $2, $3)
         ON CONFLICT (customer_id, program) DO NOTHING RETURNING case_id`,
        [customerId, program, caseId],
      );
      if (inserted.rows.length > 0) return this.held(customerId, program, caseId);
      const { rows } = await this.sql.query<{ case_id: string; age: string }>(
        `SELECT case_id, extract(epoch FROM now() - claimed_at)::text AS age
           FROM ${OPEN_CLAIMS_TABLE} WHERE customer_id = $1 AND program = $2`,
        [customerId, program],
      );
      const holder = rows[0];
      if (!holder) continue; // released meanwhile: insert again
      // The same case again (a repeated request): the executor answers it.
      if (holder.case_id === caseId) return none;
      const lifecycle = await this.lifecycleOf(holder.case_id);
      if (lifecycle === 'ACTIVE')
        throw duplicateCaseProblem(
          holder.case_id,
          `case ${holder.case_id} of customer ${customerId} in ${program} is active; send allowDuplicate: true with a duplicateReason to open another`,
        );
      if (lifecycle === 'NONE' && Number(holder.age) < CLAIM_GRACE_SECONDS)
        throw duplicateCaseProblem(
          holder.case_id,
          `case ${holder.case_id} of customer ${customerId} in ${program} is being opened right now`,
        );
      // Closed, exited, or a claim whose case never appeared: take it over (compare-and-set).
      const taken = await this.sql.query(
        `UPDATE ${OPEN_CLAIMS_TABLE} SET case_id = $3, claimed_at = now()
          WHERE customer_id = $1 AND program = $2 AND case_id = $4`,
        [customerId, program, caseId, holder.case_id],
      );
      if (taken.rowCount === 1) return this.held(customerId, program, caseId);
    }
    throw duplicateCaseProblem(
      '',
      `opens of customer ${customerId} in ${program} kept racing; retry the request`,
    );
  }

  private held(customerId: string, program: string, caseId: string): HeldClaim {
    return {
      release: async () => {
        await this.sql.query(
          `DELETE FROM ${OPEN_CLAIMS_TABLE} WHERE customer_id = $1 AND program = $2 AND case_id = $3`,
          [customerId, program, caseId],
        );
      },
    };
  }
}
