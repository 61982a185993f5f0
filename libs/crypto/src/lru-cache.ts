export interface LruOptions {
  maxEntries: number;
  ttlMs: number;
  now?: () => number;
}

/**
 * A bounded LRU map whose entries also expire after a TTL. Bounded so a scan over many Patients
 * cannot grow unwrapped keys without limit; the TTL bounds how long a key shredded by another
 * replica stays usable here.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number; insertedAt: number }>();
  private readonly now: () => number;
  /** Insertions so far: an entry's distance from the newest end is at most `inserted - insertedAt`. */
  private inserted = 0;
  /** Reads of an entry this close to the newest end leave its place alone (0: exact LRU). */
  private readonly recentWindow: number;
  /**
   * Walks the entries oldest first, kept from one eviction to the next: a new iterator would start
   * at the front of V8's table and step over every entry evicted since its last rehash (up to
   * ~13,000 in a full 20,000-entry cache, ~20 µs a new Patient), where this one steps over each
   * once. Live entries are never behind it: it passed only entries it evicted, and an entry
   * re-inserted goes to the end. Never run dry (only asked while the cache is over its bound).
   */
  private oldest: Iterator<K> | undefined;

  constructor(private readonly options: LruOptions) {
    this.now = options.now ?? Date.now;
    this.recentWindow = Math.floor(options.maxEntries / 4);
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert (Map order is our recency order) only once the entry has left the most recent
    // quarter: V8 keeps a deleted Map entry in its hash chain until the next rehash, so deleting and
    // re-adding one hot key on every read (a chart's 250 fields of one Patient) made each lookup walk
    // thousands of dead entries (~120 µs per read in a 20,000-entry cache). An entry read this
    // often stays far from eviction either way.
    if (this.inserted - entry.insertedAt > this.recentWindow) {
      this.entries.delete(key);
      entry.insertedAt = ++this.inserted;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** The live value without touching recency. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.expiresAt > this.now() ? entry.value : undefined;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, {
      value,
      expiresAt: this.now() + this.options.ttlMs,
      insertedAt: ++this.inserted,
    });
    while (this.entries.size > this.options.maxEntries) {
      this.oldest ??= this.entries.keys();
      const oldest = this.oldest.next();
      if (oldest.done === true) {
        this.oldest = undefined; // cannot happen (see `oldest`); a fresh walk is always right
        continue;
      }
      this.entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key matches, e.g. all Patients of a shredded Tenant. */
  deleteWhere(match: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
