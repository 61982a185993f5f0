import { listenForChanges, type ChangeListenerOptions } from './change-listener.js';

export interface TenantReadCacheOptions {
  url: string;
  /** The channel the read model's triggers announce on (`tenantChangeNotifySql`). */
  channel: string;
  /** Safety net for a change that was never announced (a connection lost without an error). */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
  applicationName?: string;
  reconnect?: ChangeListenerOptions['reconnect'];
  onError?(error: unknown): void;
}

export interface TenantReadCache<V> {
  /**
   * The value of `key` in the clinic's read model: the one remembered if no change of the clinic
   * was announced since it was read, else `load()`'s (concurrent misses share one load). The
   * caller checks permissions first; a value is shared between callers and must not be mutated.
   */
  read(tenantId: string, key: string, load: () => Promise<V>): Promise<V>;
  close(): Promise<void>;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Remembers reads of a read model until its triggers announce a change of the same clinic.
 * Nothing is remembered while the change listener is down, and everything is forgotten when it
 * goes down or comes back (changes in between went unannounced). A read that was under way when a
 * change was announced is handed to its callers but not remembered: its snapshot may predate the
 * change. A change is announced after its commit, so a read sent after the announcement sees it.
 */
export function createTenantReadCache<V>(options: TenantReadCacheOptions): TenantReadCache<V> {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Map<string, Entry<V>>>();
  const loading = new Map<string, Map<string, Promise<V>>>();
  // Bumped by every announcement and by the listener going down or up: a read remembers its value
  // only if neither moved meanwhile.
  const tenantGenerations = new Map<string, number>();
  let generation = 0;
  let listening = false;
  let size = 0;

  const forgetAll = (): void => {
    generation++;
    entries.clear();
    loading.clear();
    tenantGenerations.clear();
    size = 0;
  };
  const forgetTenant = (tenantId: string): void => {
    tenantGenerations.set(tenantId, (tenantGenerations.get(tenantId) ?? 0) + 1);
    size -= entries.get(tenantId)?.size ?? 0;
    entries.delete(tenantId);
    loading.delete(tenantId);
  };

  const listener = listenForChanges({
    url: options.url,
    channel: options.channel,
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    ...(options.reconnect === undefined ? {} : { reconnect: options.reconnect }),
    onError: (e) => options.onError?.(e),
    onChange: (payload) => (payload === '*' ? forgetAll() : forgetTenant(payload)),
    onListening: (up) => {
      listening = up;
      forgetAll();
    },
  });

  function remember(tenantId: string, key: string, value: V): void {
    if (size >= maxEntries) forgetAll(); // a flood of distinct keys; the hot ones come back at once
    let forTenant = entries.get(tenantId);
    if (forTenant === undefined) entries.set(tenantId, (forTenant = new Map<string, Entry<V>>()));
    if (!forTenant.has(key)) size++;
    forTenant.set(key, { value, expiresAt: now() + ttlMs });
  }

  return {
    read(tenantId, key, load) {
      if (!listening) return load();
      const entry = entries.get(tenantId)?.get(key);
      if (entry !== undefined && entry.expiresAt > now()) return Promise.resolve(entry.value);
      const pending = loading.get(tenantId)?.get(key);
      if (pending !== undefined) return pending;
      const startedAt = generation;
      const tenantStartedAt = tenantGenerations.get(tenantId) ?? 0;
      const unchanged = () =>
        generation === startedAt && (tenantGenerations.get(tenantId) ?? 0) === tenantStartedAt;
      const loaded = load()
        .then((value) => {
          if (unchanged()) remember(tenantId, key, value);
          return value;
        })
        .finally(() => {
          const forTenant = loading.get(tenantId);
          if (forTenant?.get(key) === loaded) forTenant.delete(key);
        });
      let forTenant = loading.get(tenantId);
      if (forTenant === undefined) loading.set(tenantId, (forTenant = new Map<string, Promise<V>>()));
      forTenant.set(key, loaded);
      return loaded;
    },
    close: () => listener.close(),
  };
}
