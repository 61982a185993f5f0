/** A stream's state folded from its events, at the version it was read or written. */
export interface CachedState<S> {
  tenantId: string;
  state: S;
  version: number;
}

/**
 * The last known state of hot streams, for a writer that appends to them with the version it holds:
 * the append's expected-version check refuses a state that another writer has moved on, and the
 * writer then forgets it and reads afresh. So a stale entry costs a retry, never a wrong decision.
 * Never use it for a stream that a decision reads without appending to it (nothing would check it).
 * Bounded: the entry stored longest ago goes first.
 */
export class StreamStateCache<S> {
  private readonly entries = new Map<string, CachedState<S>>();

  constructor(private readonly maxEntries: number) {}

  /** The entry of `streamId`, only when it was read or written for `tenantId`. */
  get(tenantId: string, streamId: string): CachedState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.tenantId !== tenantId) return undefined;
    return entry;
  }

  set(streamId: string, entry: CachedState<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  forget(streamIds: Iterable<string>): void {
    for (const id of streamIds) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
