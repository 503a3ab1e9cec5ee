import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from './app-config';

/**
 * The variables named in the first column of README.md's "Configuration"
 * table, with the default column's text for each. A row naming several
 * variables gives them its defaults in order when it has as many, else the
 * same default.
 */
function readmeDefaults(): Map<string, string> {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  if (start < 0) throw new Error('README.md has no "## Configuration" section');
  const end = readme.indexOf('\n## ', start + 1);
  const rows = readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // header and separator
    .map((line) => line.split('|').map((cell) => cell.trim()));
  const defaults = new Map<string, string>();
  for (const [, variables = '', shown = ''] of rows) {
    const names = [...variables.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((match) => match[1]);
    const each = shown.split(/,\s*/);
    names.forEach((name, i) =>
      defaults.set(name, names.length > 1 && each.length === names.length ? each[i] : shown),
    );
  }
  return defaults;
}

describe("README.md's Configuration table matches the configuration schema", () => {
  const schema = describeConfig();
  const documented = readmeDefaults();

  it('lists every variable of the schema', () => {
    const missing = schema.map((row) => row.name).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('lists no variable the schema does not read', () => {
    const known = new Set<string>(schema.map((row) => row.name));
    expect([...documented.keys()].filter((name) => !known.has(name))).toEqual([]);
  });

  it("shows each variable's default as the schema applies it", () => {
    const differing = schema
      .filter((row) => documented.has(row.name) && documented.get(row.name) !== row.default)
      .map((row) => `${row.name}: README ${documented.get(row.name)}, schema ${row.default}`);
    expect(differing).toEqual([]);
  });
});
