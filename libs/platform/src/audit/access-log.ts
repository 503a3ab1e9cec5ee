import { runMigrations, type Migration, type SqlClient } from '@caseledger/event-store';

/**
 * Access records (DESIGN.md "Additions": Auditors): every read of a case's
 * personal data — who, when, which case, which route. Kept in their own
 * append-only table, never in the application log (which must not carry
 * customer data) and never deleted from by the service: nothing here issues
 * an UPDATE or DELETE.
 */
export const ACCESS_LOG_MIGRATION_NAMESPACE = 'access-log';

export const accessLogMigrations: readonly Migration[] = [
  {
    id: '001-access-records',
    sql: `
CREATE TABLE audit_access_records (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  staff_id text NOT NULL,
  role text NOT NULL,
  career_center_id text NOT NULL,
  case_id text,
  route text NOT NULL,
  correlation_id text
);
CREATE INDEX audit_access_records_case ON audit_access_records (case_id, id);
CREATE INDEX audit_access_records_staff ON audit_access_records (staff_id, id);
`,
  },
];

export interface AccessRecordInput {
  staffId: string;
  role: string;
  careerCenterId: string;
  /** The case whose personal data was read; absent for a listing that returned no case. */
  caseId?: string;
  /** Method and route pattern, e.g. `GET /api/v1/cases/:caseId`. */
  route: string;
  correlationId?: string;
}

export interface AccessRecord extends AccessRecordInput {
  id: string;
  at: string;
}

export interface AccessQuery {
  caseId?: string;
  staffId?: string;
  /** Records after this id (paging). */
  after?: string;
  limit?: number;
}

interface Row {
  id: string;
  at: Date | string;
  staff_id: string;
  role: string;
  career_center_id: string;
  case_id: string | null;
  route: string;
  correlation_id: string | null;
}

export class AccessLog {
  private migrated: Promise<unknown> | undefined;
  constructor(private readonly sql: SqlClient) {}

  migrate(): Promise<unknown> {
    this.migrated ??= runMigrations(this.sql, ACCESS_LOG_MIGRATION_NAMESPACE, accessLogMigrations);
    return this.migrated;
  }

  /** One row per case read (a listing records each case it showed). */
  async record(
    reader: Omit<AccessRecordInput, 'caseId'>,
    caseIds: readonly string[],
  ): Promise<void> {
    await this.migrate();
    const ids: (string | null)[] = caseIds.length > 0 ? [...new Set(caseIds)] : [null];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await this.sql.query(
        `INSERT INTO audit_access_records (staff_id, role, career_center_id, case_id, route, correlation_id)
         SELECT $1, $2, $3, c, $4, $5 FROM unnest($6::text[]) AS c`,
        [
          reader.staffId,
          reader.role,
          reader.careerCenterId,
          reader.route,
          reader.correlationId ?? null,
          chunk,
        ],
      );
    }
  }

  async query(query: AccessQuery): Promise<AccessRecord[]> {
    await this.migrate();
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.caseId !== undefined) {
      params.push(query.caseId);
      where.push(`case_id = $${params.length}`);
    }
    if (query.staffId !== undefined) {
      params.push(query.staffId);
      where.push(`staff_id = $${params.length}`);
    }
    if (query.after !== undefined) {
      params.push(query.after);
      where.push(`id > $${params.length}::bigint`);
    }
    params.push(query.limit ?? 100);
    const result = await this.sql.query<Row>(
      `SELECT id::text AS id, at, staff_id, role, career_center_id, case_id, route, correlation_id
       FROM audit_access_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id LIMIT $${params.length}`,
      params,
    );
    return result.rows.map((row) => ({
      id: row.id,
      at: new Date(row.at).toISOString(),
      staffId: row.staff_id,
      role: row.role,
      careerCenterId: row.career_center_id,
      ...(row.case_id !== null ? { caseId: row.case_id } : {}),
      route: row.route,
      ...(row.correlation_id !== null ? { correlationId: row.correlation_id } : {}),
    }));
  }
}
