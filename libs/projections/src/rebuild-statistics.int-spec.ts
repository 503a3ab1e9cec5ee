import { randomUUID } from 'node:crypto';
import { caseloadProjection } from './caseload/caseload.read-model';
import { rebuildProjection } from './rebuild';
import { appendToCase, openBackend, type Backend } from './testing/backends';
import { caseOpened } from './testing/case-events';

/**
 * A rebuilt table serves with fresh planner statistics. Without them the
 * planner takes the new table for a handful of rows, and the deadline sweep's
 * keyset pages over the caseload (status filter, ordered by case id) sort every
 * open case once per page instead of walking the primary key.
 */
describe('a rebuilt read model is analysed before it serves (PostgreSQL)', () => {
  let b: Backend;
  beforeAll(async () => {
    b = await openBackend('postgres', 'rebuild_statistics');
  });
  afterAll(async () => {
    await b.close();
  });

  it('the swapped-in caseload has column statistics and the sweep page walks the primary key', async () => {
    for (let i = 0; i < 300; i++) {
      const id = randomUUID();
      await appendToCase(b.store, id, caseOpened(id, '2024-01-10'));
    }
    const rebuilt = await rebuildProjection(b.sql, b.store, caseloadProjection, { batchSize: 100 });
    expect(rebuilt.rows).toBe(300);

    const { rows: stats } = await b.sql.query<{ attname: string }>(
      `SELECT attname FROM pg_stats WHERE tablename = 'caseload' AND attname IN ('status', 'case_id')
        ORDER BY attname`,
    );
    expect(stats.map((s) => s.attname)).toEqual(['case_id', 'status']);

    const { rows: plan } = await b.sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT case_id FROM caseload
        WHERE status IN ('ACTIVE', 'SOFT_EXITED') AND case_id > '' ORDER BY case_id LIMIT 50`,
    );
    const text = plan.map((line) => line['QUERY PLAN']).join('\n');
    expect(text).toContain('caseload_pkey');
    expect(text).not.toContain('Sort');
  });
});
