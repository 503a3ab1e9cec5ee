import { findShapeProblem, MAX_DEPTH } from './request-shape';

const deep = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe('request shape: checks over every parsed body and query', () => {
  it('a 5,000-deep array is refused without recursion (no stack overflow)', () => {
    expect(findShapeProblem({ note: deep(5_000) })).toEqual({
      field: expect.stringMatching(/^note(\[0\])+$/) as unknown,
      message: `is nested deeper than ${MAX_DEPTH} levels`,
    });
    expect(findShapeProblem(deep(MAX_DEPTH - 1))).toBeUndefined();
  });

  it.each([
    ['a NUL', { customer: { firstName: 'Ada\u0000' } }, 'customer.firstName'],
    ['a lone high surrogate', { progress: 'ok \uD800 then' }, 'progress'],
    ['a lone low surrogate', { items: ['fine', '\uDC00'] }, 'items[1]'],
    ['a high surrogate at the end', { note: 'x\uD83D' }, 'note'],
  ])('text with %s is refused, naming the field', (_, body, field) => {
    expect(findShapeProblem(body)?.field).toBe(field);
  });

  it('a surrogate pair (an emoji) is fine', () => {
    expect(findShapeProblem({ note: 'all good 👍 — ünïcödé' })).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a %s key is an unknown field', (key) => {
    const body = JSON.parse(`{"goal":{"${key}":{"polluted":true}}}`) as unknown;
    expect(findShapeProblem(body)).toEqual({
      field: `goal.${key}`,
      message: 'is not a known field',
    });
  });
});
