import type { Position } from '@caseledger/event-store';
import { asText, assertIdentifier } from '../sql-values';
import type { CaseloadEntry } from './caseload.projection';
import { caseloadRowOf, type CaseloadRow } from './caseload.row';
import { COLUMNS } from './caseload.table';

/** The caseload row's codec: SQL text to a row, an entry to the record a save writes. */

/** Row columns as text (dates as YYYY-MM-DD whatever the driver's date parser does). */
export function caseloadSelectList(alias = ''): string {
  const a = alias === '' ? '' : `${assertIdentifier(alias)}.`;
  return [
    ...COLUMNS.map(([name, type]) =>
      type === 'date' || type === 'json' ? `${a}${name}::text AS ${name}` : `${a}${name}`,
    ),
    `${a}pos_commit::text AS pos_commit`,
    `${a}pos_prepare::text AS pos_prepare`,
  ].join(', ');
}

type DbRow = Record<string, unknown>;

/** A caseload row as read back from SQL (the state JSON stays out). */
export function rowFromDb(db: DbRow): CaseloadRow & { position: Position } {
  const row: Record<string, unknown> = {};
  for (const [name, type, field] of COLUMNS) {
    const value = db[name];
    if (value === null || value === undefined) row[field] = null;
    else if (type === 'integer') row[field] = Number(value);
    else if (type === 'json') row[field] = JSON.parse(asText(value)) as unknown;
    else row[field] = asText(value);
  }
  return {
    ...(row as unknown as CaseloadRow),
    position: { commit: BigInt(String(db.pos_commit)), prepare: BigInt(String(db.pos_prepare)) },
  };
}

/** The columns a save writes, in order: the row's, then the position and the folded state. */
export const RECORD_COLUMNS: readonly string[] = [
  ...COLUMNS.map(([n]) => n),
  'pos_commit',
  'pos_prepare',
  'state',
];

/** `json_to_recordset`'s column definition list for RECORD_COLUMNS. */
export const RECORD_TYPE = [
  ...COLUMNS.map(([n, type]) => `${n} ${type}`),
  'pos_commit bigint',
  'pos_prepare bigint',
  'state json',
].join(', ');

/** An entry as the record a save writes; null when the state is not a case yet. */
export function recordOf(entry: CaseloadEntry): Record<string, unknown> | null {
  const row = caseloadRowOf(entry.state);
  if (row === null) return null;
  const record: Record<string, unknown> = {};
  for (const [name, , field] of COLUMNS) record[name] = row[field];
  record.pos_commit = entry.position.commit.toString();
  record.pos_prepare = entry.position.prepare.toString();
  record.state = entry.state;
  return record;
}

const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};

/** A value in COPY's text format (`\N` for null; backslash, tab and line breaks escaped). */
function copyValue(value: unknown, json: boolean): string {
  if (value === null || value === undefined) return '\\N';
  // Texts and dates as they are; numbers print the same either way; JSON columns as JSON.
  const text = !json && typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]);
}

const JSON_COLUMNS = new Set<string>([
  ...COLUMNS.filter(([, type]) => type === 'json').map(([name]) => name),
  'state',
]);

/** An entry as one line of `COPY <table> (RECORD_COLUMNS) FROM STDIN`; null when not a case yet. */
export function copyLineOf(entry: CaseloadEntry): string | null {
  const record = recordOf(entry);
  if (record === null) return null;
  let line = '';
  for (let i = 0; i < RECORD_COLUMNS.length; i++) {
    const name = RECORD_COLUMNS[i];
    line += (i === 0 ? '' : '\t') + copyValue(record[name], JSON_COLUMNS.has(name));
  }
  return `${line}\n`;
}
