import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(path) ? [path] : [];
  });
}

/** Every problem id the code can answer, read from the code itself. */
function idsInCode(): Set<string> {
  const ids = new Set<string>();
  const errors = readFileSync(join(ROOT, 'libs/domain/src/shared/errors.ts'), 'utf8');
  // The union ends at the first `;` that ends a line (its comments may hold others).
  const union = errors.slice(
    errors.indexOf('export type RuleId'),
    errors.indexOf(';\n', errors.indexOf('export type RuleId')),
  );
  for (const match of union.matchAll(/\|\s*'([A-Z0-9_]+)'/g)) ids.add(match[1]);
  for (const file of sources(join(ROOT, 'apps/api/src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/problemType\('([a-z-]+)'\)/g)) ids.add(match[1]);
    for (const match of text.matchAll(/\{ id: '([A-Za-z_-]+)', title:/g)) ids.add(match[1]);
    for (const match of text.matchAll(/'entity\.parse\.failed' \? '([a-z-]+)' : '([a-z-]+)'/g)) {
      ids.add(match[1]);
      ids.add(match[2]);
    }
  }
  return ids;
}

describe('docs/errors.md lists every problem id (one id per situation)', () => {
  const documented = new Set(
    [
      ...readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(
        /^\|\s*`([A-Za-z0-9_-]+)`\s*\|/gm,
      ),
    ].map((m) => m[1]),
  );
  const inCode = idsInCode();

  it('finds the ids in the code (the scan works)', () => {
    for (const id of ['R13', 'NOT_FOUND', 'validation', 'duplicate-case', 'unavailable'])
      expect(inCode.has(id)).toBe(true);
  });

  it('documents every id the code answers, and no other', () => {
    expect([...inCode].filter((id) => !documented.has(id)).sort()).toEqual([]);
    expect([...documented].filter((id) => !inCode.has(id)).sort()).toEqual([]);
  });

  it('has a single 404 id: an unknown route is NOT_FOUND like a missing case', () => {
    expect(inCode.has('not-found')).toBe(false);
  });
});

describe('docs/rules.md sums up every rule the domain refuses by', () => {
  it('lists R1–R22, each once, as the RuleId union has them', () => {
    const errors = readFileSync(join(ROOT, 'libs/domain/src/shared/errors.ts'), 'utf8');
    const rules = [...errors.matchAll(/\|\s*'(R\d+)'/g)].map((m) => m[1]);
    const listed = [
      ...readFileSync(join(ROOT, 'docs/rules.md'), 'utf8').matchAll(/^\|\s*(R\d+)\s*\|/gm),
    ].map((m) => m[1]);
    expect(rules).toHaveLength(22);
    expect(listed).toEqual(rules);
  });
});
