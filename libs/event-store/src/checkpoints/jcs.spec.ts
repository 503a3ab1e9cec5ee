import { canonicalJson } from '../hash-chain';

/**
 * The hash chain's and the checkpoints' canonical JSON is RFC 8785 (JCS) for
 * the JSON the store holds, so an outsider re-implements it from the RFC.
 * Vectors from RFC 8785 §3.2.2 (sorting by UTF-16 code units) and §3.2.3
 * (ECMAScript number forms).
 */
describe('canonical JSON is RFC 8785 (JCS)', () => {
  it('sorts keys by UTF-16 code units, not by code points or locale (RFC 8785 §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Parsing would reorder the integer-like key "1": compare the text.
    const keys = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => m[1]);
    expect(keys).toEqual(['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('writes numbers in their shortest ECMAScript form (RFC 8785 appendix B)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [123456789012345680000, '123456789012345680000'],
      [0.000001, '0.000001'],
      [4.5, '4.5'],
      [2e-3, '0.002'],
      [9007199254740991, '9007199254740991'],
      [-1.7976931348623157e308, '-1.7976931348623157e+308'],
    ];
    for (const [value, text] of cases) expect(canonicalJson(value)).toBe(text);
  });

  it('escapes strings as JSON.stringify does: only ", \\\\ and control characters, lowercase \\\\u', () => {
    expect(canonicalJson('€$\u000f\nA\'B"\\\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
  });

  it('has no whitespace and keeps array order (RFC 8785 §3.2.1)', () => {
    expect(canonicalJson({ b: [3, 1, { d: true, c: null }], a: 'x' })).toBe(
      '{"a":"x","b":[3,1,{"c":null,"d":true}]}',
    );
  });
});
