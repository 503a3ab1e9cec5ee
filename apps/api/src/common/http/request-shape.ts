import type { FieldError } from '../problems/problem-details';

/**
 * Checks over every parsed request (body and query), before guards,
 * interceptors, pipes or the Idempotency-Key fingerprint see it, so every
 * route and every future field is covered by one mechanism:
 *
 * - nesting deeper than MAX_DEPTH is refused: a 5,000-deep array overflowed
 *   the stack in validation and canonical JSON (a 500);
 * - text with NUL or an unpaired UTF-16 surrogate is refused: PostgreSQL cannot
 *   store either, and one such event failed every innocent append in its
 *   group-commit batch;
 * - `__proto__`, `constructor` and `prototype` keys are refused like any
 *   unknown field, instead of being silently dropped or reaching an object's
 *   prototype.
 *
 * Each refusal is a 400 problem naming the field (dotted path).
 */
export const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const hasUnstorableText = (text: string): boolean => BAD_TEXT.test(text);

const pathOf = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/** The first problem found in a parsed JSON value (iterative: no recursion to overflow). */
export function findShapeProblem(root: unknown, rootPath = ''): FieldError | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: root, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    const field = path || 'body';
    if (typeof value === 'string') {
      if (hasUnstorableText(value))
        return { field, message: 'must not contain NUL or unpaired surrogate characters' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { field, message: `is nested deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        stack.push({ value: item, path: pathOf(path, i), depth: depth + 1 }),
      );
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = pathOf(path, key);
      if (FORBIDDEN_KEYS.has(key) || hasUnstorableText(key))
        return {
          field: hasUnstorableText(key) ? pathOf(path, JSON.stringify(key).slice(1, -1)) : at,
          message: 'is not a known field',
        };
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return undefined;
}
