import { randomUUID } from 'node:crypto';
import { applyProjectionBatch, Projector } from '../projector';
import { rebuildProjection } from '../rebuild';
import {
  appendToCase,
  lastAppendedPosition,
  backendPerFile,
  readAllThroughLastAppend,
  type Backend,
  type BackendKind,
} from '../testing/backends';
import {
  caseClosed,
  caseOpened,
  caseSuspended,
  caseTransferred,
  contactRecorded,
} from '../testing/case-events';
import {
  CASE_SEARCH_TABLE,
  caseSearchProjection,
  findOpenCasesOf,
  queryCaseSearch,
} from './case-search.table';
import { PERSONAL_DATA_DISPOSED } from './case-search.projection';

async function runToHead(b: Backend) {
  const projector = new Projector(b.sql, b.store, caseSearchProjection, {
    batchSize: 7,
    retryDelayMs: 10,
  });
  await projector.start();
  await projector.waitUntilCaughtUp(lastAppendedPosition(b.store));
  await projector.stop();
}

async function tableRows(b: Backend): Promise<unknown[]> {
  const { rows } = await b.sql.query(`SELECT * FROM ${CASE_SEARCH_TABLE} ORDER BY case_id`);
  return rows;
}

const page = { page: 1, pageSize: 50 };

describe.each<BackendKind>(['postgres', 'pglite'])('case-search projection on %s', (kind) => {
  const b = backendPerFile(kind, 'case_search');

  it('finds by first or last name prefix, ignoring case and accents, and by customer, center, manager, status', async () => {
    const zoe = randomUUID();
    const ada = randomUUID();
    const moved = randomUUID();
    await appendToCase(
      b.store,
      zoe,
      caseOpened(zoe, '2024-01-10', { firstName: 'Zoë', lastName: 'Ćelik' }),
    );
    await appendToCase(b.store, ada, caseOpened(ada, '2024-01-11'), contactRecorded('2024-01-20'));
    await appendToCase(
      b.store,
      moved,
      caseOpened(moved, '2024-01-12', {
        firstName: 'Adam',
        lastName: 'Smith',
        caseManagerId: 'cm-2',
      }),
      caseTransferred(
        '2024-02-01',
        { careerCenterId: 'cc-boston', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-2' },
        { careerCenterId: 'cc-lowell', localAreaId: 'MA-DEFAULT', caseManagerId: 'cm-9' },
      ),
      caseSuspended('2024-02-02'),
    );
    await runToHead(b);
    const ids = async (filter: Parameters<typeof queryCaseSearch>[1]) =>
      (await queryCaseSearch(b.sql, filter)).cases.map((c) => c.caseId);

    expect(await ids({ name: 'ZO', ...page })).toEqual([zoe]);
    expect(await ids({ name: 'celi', ...page })).toEqual([zoe]);
    expect(await ids({ name: 'zoë', ...page })).toEqual([zoe]);
    // "ada" is a prefix of Ada and of Adam: both, by last name (Lovelace, Smith).
    expect(await ids({ name: 'ada', ...page })).toEqual([ada, moved]);
    expect(await ids({ name: 'love', ...page })).toEqual([ada]);
    expect(await ids({ name: 'ovelace', ...page })).toEqual([]); // a prefix, not a substring
    expect(await ids({ name: '%', ...page })).toEqual([]); // LIKE wildcards are literal
    expect(await ids({ customerId: `cust-${ada}`, ...page })).toEqual([ada]);
    // R12: the transfer moved the case to its new center and manager.
    expect(await ids({ careerCenterId: 'cc-lowell', ...page })).toEqual([moved]);
    expect(await ids({ caseManagerId: 'cm-9', ...page })).toEqual([moved]);
    expect(await ids({ caseManagerId: 'cm-2', ...page })).toEqual([]);
    // R16 v2: a pending suspension is beside the status; SUSPENDED finds it.
    expect(await ids({ status: 'SUSPENDED', ...page })).toEqual([moved]);
    expect(await ids({ status: 'ACTIVE', name: 'adam', ...page })).toEqual([moved]);
    // R13: a reader limited to cc-boston does not see the moved case.
    expect(await ids({ name: 'ada', visibleCareerCenters: ['cc-boston'], ...page })).toEqual([ada]);
    const paged = await queryCaseSearch(b.sql, { page: 2, pageSize: 2 });
    expect(paged).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.cases).toHaveLength(1);
  });

  it('a closed case is no longer open for the duplicate check', async () => {
    const first = randomUUID();
    await appendToCase(b.store, first, caseOpened(first, '2024-01-10'));
    await runToHead(b);
    expect(await findOpenCasesOf(b.sql, `cust-${first}`, 'WIOA_ADULT')).toEqual([first]);
    await appendToCase(b.store, first, caseClosed('2024-03-01'));
    await runToHead(b);
    expect(await findOpenCasesOf(b.sql, `cust-${first}`, 'WIOA_ADULT')).toEqual([]);
    const [row] = (await queryCaseSearch(b.sql, { customerId: `cust-${first}`, ...page })).cases;
    expect(row).toMatchObject({ status: 'CLOSED', closedOn: '2024-03-01' });
  });

  it('replay (thenNotUpdated): the whole log applied again past the checkpoint changes no row', async () => {
    const id = randomUUID();
    await appendToCase(b.store, id, caseOpened(id, '2024-01-10'), caseSuspended('2024-02-01'));
    await runToHead(b);
    const before = await tableRows(b);
    const events = await readAllThroughLastAppend(b.store);
    // Straight through applyBatch: only the rows' own positions guard this.
    const written = await b.sql.transaction((tx) =>
      caseSearchProjection.applyBatch(tx, CASE_SEARCH_TABLE, events),
    );
    expect(written).toBe(0);
    const again = await applyProjectionBatch(
      b.sql,
      caseSearchProjection,
      CASE_SEARCH_TABLE,
      events,
    );
    expect(again.applied).toBe(0);
    expect(await tableRows(b)).toEqual(before);
  });

  it('records retention: a PersonalDataDisposed event blanks the names, the case stays findable by customer', async () => {
    const id = randomUUID();
    await appendToCase(
      b.store,
      id,
      caseOpened(id, '2024-01-10', { firstName: 'Grace', lastName: 'Hopper' }),
    );
    // Appended directly, in the shape the retention contract gives it.
    await b.store.append(
      `case-${id}`,
      [
        {
          eventId: randomUUID(),
          type: PERSONAL_DATA_DISPOSED,
          data: {
            caseId: id,
            customerId: `cust-${id}`,
            disposedOn: '2027-06-01',
            reason: 'retention period over',
            retentionRule: 'R-RET-1095',
          },
          metadata: {
            commandId: randomUUID(),
            correlationId: randomUUID(),
            causationId: randomUUID(),
            actor: { staffId: 'admin-1', role: 'admin', careerCenterId: 'cc-boston' },
            schemaVersion: 1,
          },
        },
      ],
      'any',
    );
    // Another append after it, so the wait below covers the direct one too.
    const other = randomUUID();
    await appendToCase(b.store, other, caseOpened(other, '2024-01-01', { firstName: 'Other' }));
    await runToHead(b);
    expect((await queryCaseSearch(b.sql, { name: 'grace', ...page })).cases).toEqual([]);
    expect((await queryCaseSearch(b.sql, { name: 'hop', ...page })).cases).toEqual([]);
    const [row] = (await queryCaseSearch(b.sql, { customerId: `cust-${id}`, ...page })).cases;
    expect(row).toMatchObject({
      caseId: id,
      firstName: '',
      lastName: '',
      personalDataDisposed: true,
      status: 'ACTIVE',
    });
    const { rows } = await b.sql.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${CASE_SEARCH_TABLE} WHERE first_name ILIKE '%grace%' OR last_name_key LIKE 'hopper%'`,
    );
    expect(rows[0]?.n).toBe('0');
  });

  it('rebuild (projections rebuild case-search) gives the table the live projector built', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await appendToCase(b.store, id, caseOpened(id, '2024-01-10', { lastName: `Name${i}` }));
      if (i % 3 === 0) await appendToCase(b.store, id, caseClosed('2024-03-01'));
      if (i % 4 === 1) await appendToCase(b.store, id, caseSuspended('2024-02-01'));
    }
    await runToHead(b);
    const live = await tableRows(b);
    const result = await rebuildProjection(b.sql, b.store, caseSearchProjection, { batchSize: 5 });
    expect(result.rows).toBe(12);
    expect(await tableRows(b)).toEqual(live);
  });
});
