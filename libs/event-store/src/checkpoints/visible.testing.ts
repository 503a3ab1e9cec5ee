import type { EventStore, Position } from '../event-store.port';

/**
 * Waits until read-all returns at least `count` events. Read-all stops below the
 * oldest transaction in flight anywhere on the PostgreSQL server (DESIGN.md
 * "Known ground"), which other test files hold back, so a test that signs
 * checkpoints first waits for its own appends to be readable.
 */
export async function untilReadable(
  store: EventStore,
  count: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let seen = 0;
    let cursor: Position | undefined;
    for (;;) {
      const page = await store.readAll(cursor, 1000);
      seen += page.length;
      if (page.length < 1000) break;
      cursor = page[page.length - 1].position;
    }
    if (seen >= count) return;
    if (Date.now() > deadline) throw new Error(`read-all shows ${seen} of ${count} events`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
