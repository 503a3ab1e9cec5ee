import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_CATALOGUE } from './case.rule-catalogue';

const ROOT = join(__dirname, '..', '..', '..', '..');
const RULE_IDS = Array.from({ length: 22 }, (_, i) => `R${i + 1}`);

const filesUnder = (dir: string, suffix: string): string[] =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(suffix))
    .map((file) => readFileSync(join(ROOT, dir, file), 'utf8'));

/** Test and describe titles of the domain's decider and property specs. */
const deciderTitles = readdirSync(__dirname)
  .filter((file) => file.endsWith('.spec.ts') && !file.includes('rule-catalogue'))
  .flatMap((file) => {
    const source = readFileSync(join(__dirname, file), 'utf8');
    return [
      ...source.matchAll(/\b(?:it|test|describe)(?:\.each\([^)]*\))?\(\s*(['"`])(.*?)\1/gs),
    ].map((match) => match[2]);
  });

/**
 * Rule ids the e2e specs and use cases (test/e2e/cases/*.cases.ts) expect as a
 * problem type (every refusal there also proves nothing was appended).
 */
const e2eRefusals = new Set(
  [...filesUnder('test/e2e', '.e2e-spec.ts'), ...filesUnder('test/e2e', '.cases.ts')].flatMap(
    (source) =>
      [
        ...source.matchAll(
          /(?:(?:expectProblem|then\.problem)\(\s*'|problems\/|(?:refused|expectRefused)\([^;]*?')(R\d+)\b/gs,
        ),
      ].map((match) => match[1]),
  ),
);

/**
 * Rule ids the domain throws (refuse/forbidden/invalid/DomainError, or a
 * required-value check), and those the edge refuses a command's value under
 * (`RuleOf` in a request DTO: R1's program group is the `Program` union,
 * parsed before any command exists).
 */
const thrownByDomain = new Set([
  ...['case.decide.ts', 'case.rules.ts', 'deadlines.ts'].flatMap((file) => {
    const source = readFileSync(join(__dirname, file), 'utf8');
    return [
      ...source.matchAll(
        /(?:refuse|forbidden|invalid|new DomainError)\(\s*(?:[^,()]*\?\s*)?'(R\d+)'/g,
      ),
      ...source.matchAll(/(?:requireText|requireOneOf|requireOrdered)\([^;]*?'(R\d+)'\s*,?\s*\)/g),
    ].map((match) => match[1]);
  }),
  ...filesUnder('apps/api/src', '.request.dto.ts').flatMap((source) =>
    [...source.matchAll(/@RuleOf\('(R\d+)'\)/g)].map((match) => match[1]),
  ),
]);

describe('the rule catalogue (rule id → seed paragraph → check function)', () => {
  it('lists every rule of DESIGN.md once, in order', () => {
    expect(RULE_CATALOGUE.map((entry) => entry.id)).toEqual(RULE_IDS);
  });

  it.each(RULE_CATALOGUE.map((entry) => [entry.id, entry] as const))(
    '%s names its seed paragraph and where it is checked',
    (_id, entry) => {
      expect(entry.seed).toMatch(/\S{3,}/);
      expect(entry.checks.length + entry.commands.length).toBeGreaterThan(0);
      for (const check of entry.checks) expect(check).toEqual(expect.any(Function));
    },
  );

  it.each(RULE_IDS)('%s has a decider spec that names it', (id) => {
    expect(deciderTitles.filter((title) => new RegExp(`\\b${id}\\b`).test(title))).not.toEqual([]);
  });

  it.each(RULE_CATALOGUE.filter((entry) => entry.refuses).map((entry) => entry.id))(
    '%s (a refusing rule) has an e2e refusal',
    (id) => {
      expect(e2eRefusals).toContain(id);
    },
  );

  it('marks as refusing exactly the rules the domain (or the edge, for a value) refuses commands under', () => {
    const refusing = RULE_CATALOGUE.filter((entry) => entry.refuses).map((entry) => entry.id);
    expect([...thrownByDomain].sort()).toEqual([...refusing].sort());
  });
});
