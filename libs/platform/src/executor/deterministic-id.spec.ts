import { eventIdFor, nameBasedUuid } from './deterministic-id';

describe('name-based ids', () => {
  it('gives a retried command the same event ids (idempotent append)', () => {
    expect(eventIdFor('cmd-1', 0)).toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-1', 1));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-2', 0));
  });

  it('is a version 5 UUID', () => {
    expect(nameBasedUuid('x')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
