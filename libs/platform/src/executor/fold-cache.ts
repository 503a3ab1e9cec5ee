import type { CaseState } from '@caseledger/domain';

/** A stream folded up to `revision`, whose event there had id `eventId`. */
export interface FoldedStream {
  revision: number;
  eventId: string;
  state: CaseState;
  /** Every command id that produced an event at or below `revision`. */
  commandIds: ReadonlySet<string>;
  /**
   * The store is known to hold events after `revision` (an append naming it
   * conflicted): the fold is still the truth up to `revision`, so the next
   * command reads only the events after it.
   */
  behind?: boolean;
}

/**
 * The executor's folded streams, least recently used first out (0 entries
 * turns it off). Events are immutable and a stream only grows, so a fold up to
 * revision r stays the truth about revisions ≤ r; whether r is still the
 * newest is the store's to judge, at the append (its expected revision).
 */
export class FoldCache {
  private readonly entries = new Map<string, FoldedStream>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached fold, made most recently used. */
  get(streamId: string): FoldedStream | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** A fold from a whole-stream read: complete by construction. */
  put(streamId: string, entry: FoldedStream): void {
    if (this.capacity === 0) return;
    const current = this.entries.get(streamId);
    // A concurrent command may have cached a newer revision meanwhile; keep it.
    if (current && current.revision > entry.revision) return;
    this.set(streamId, entry);
  }

  /**
   * A fold that extends the one cached at revision `from` (a command's own
   * append): its command-id set is only complete when built on that fold, so
   * anything else drops the entry rather than cache a fold with gaps.
   */
  extend(streamId: string, from: number, entry: FoldedStream): void {
    if (this.capacity === 0) return;
    const current = this.entries.get(streamId);
    if (current && current.revision > entry.revision) return;
    if (!current || current.revision !== from) {
      this.entries.delete(streamId);
      return;
    }
    this.set(streamId, entry);
  }

  /** An append expecting the cached revision conflicted: catch up before the next decision. */
  markBehind(streamId: string): void {
    const entry = this.entries.get(streamId);
    if (entry) this.entries.set(streamId, { ...entry, behind: true });
  }

  drop(streamId: string): void {
    this.entries.delete(streamId);
  }

  private set(streamId: string, entry: FoldedStream): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
