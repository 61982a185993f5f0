import type { KekWrapping, KeyStore, StoredSubjectKey, StoredTenantKey } from './key-store.js';

/** The transaction handle of the in-memory store (there is nothing to hand over). */
export interface MemoryTx {
  readonly memory: true;
}

interface MemoryTenant {
  tekVersion: number;
  shreddedAt: Date | null;
  teks: Map<number, StoredTenantKey>;
  blindIndexKey: StoredTenantKey | null;
}

/**
 * A key store in memory for unit tests and throwaway tools: same contract as the Postgres store,
 * but transactions neither isolate nor roll back.
 */
export function createMemoryKeyStore(): KeyStore<MemoryTx> {
  const tenants = new Map<string, MemoryTenant>();
  const subjects = new Map<string, Map<number, StoredSubjectKey>>();
  const tombstones = new Map<string, Date>();
  const tx: MemoryTx = { memory: true };
  const sid = (tenantId: string, subjectId: string) => `${tenantId}/${subjectId}`;
  const ofTenant = (tenantId: string) => [...subjects].filter(([k]) => k.startsWith(`${tenantId}/`));

  return {
    transaction: (fn, client) => fn(client ?? tx),
    loadTenant: (tenantId) => {
      const t = tenants.get(tenantId);
      return Promise.resolve(t && { tenantId, ...t, teks: [...t.teks.values()] });
    },
    createTenant: (_tx, tenantId, tek, blindIndexKey) => {
      if (tenants.has(tenantId)) return Promise.resolve(false);
      tenants.set(tenantId, {
        tekVersion: tek.version,
        shreddedAt: null,
        teks: new Map([[tek.version, tek]]),
        blindIndexKey,
      });
      return Promise.resolve(true);
    },
    addTek: (tenantId, tek) => {
      const t = tenants.get(tenantId);
      if (t === undefined || t.shreddedAt !== null || t.tekVersion !== tek.version - 1)
        return Promise.resolve(false);
      t.teks.set(tek.version, tek);
      t.tekVersion = tek.version;
      return Promise.resolve(true);
    },
    dropTeksBelow: (tenantId, version) => {
      const t = tenants.get(tenantId);
      const used = new Set(
        ofTenant(tenantId).flatMap(([, keys]) => [...keys.values()].map((k) => k.tekVersion)),
      );
      for (const v of t?.teks.keys() ?? []) if (v < version && !used.has(v)) t?.teks.delete(v);
      return Promise.resolve([...(t?.teks.keys() ?? [])].every((v) => v >= version));
    },
    listKekWrappingsNotUnder: (kekRef, limit) => {
      const found: KekWrapping[] = [];
      for (const [tenantId, t] of tenants) {
        for (const k of t.teks.values()) if (k.kekRef !== kekRef) found.push({ ...k, kind: 'tek', tenantId });
        const b = t.blindIndexKey;
        if (b !== null && b.kekRef !== kekRef) found.push({ ...b, kind: 'blind_index', tenantId });
      }
      return Promise.resolve(found.slice(0, limit));
    },
    replaceKekWrapping: (old, next) => {
      const t = tenants.get(old.tenantId);
      const current = old.kind === 'tek' ? t?.teks.get(old.version) : t?.blindIndexKey;
      if (t === undefined || current?.kekRef !== old.kekRef) return Promise.resolve(false);
      const replaced = { ...next, version: old.version };
      if (old.kind === 'tek') t.teks.set(old.version, replaced);
      else t.blindIndexKey = replaced;
      return Promise.resolve(true);
    },
    loadSubject: (tenantId, subjectId) => {
      const shreddedAt = tombstones.get(sid(tenantId, subjectId)) ?? null;
      const keys = shreddedAt === null ? [...(subjects.get(sid(tenantId, subjectId))?.values() ?? [])] : [];
      return Promise.resolve({ shreddedAt, keys });
    },
    loadSubjects: (tenantId, subjectIds) => {
      const found = new Map<string, { shreddedAt: Date | null; keys: StoredSubjectKey[] }>();
      for (const subjectId of subjectIds) {
        const shreddedAt = tombstones.get(sid(tenantId, subjectId)) ?? null;
        const keys = shreddedAt === null ? [...(subjects.get(sid(tenantId, subjectId))?.values() ?? [])] : [];
        found.set(subjectId, { shreddedAt, keys });
      }
      return Promise.resolve(found);
    },
    addSubjectKey: (tenantId, subjectId, key) => {
      const t = tenants.get(tenantId);
      if (tombstones.has(sid(tenantId, subjectId))) return Promise.resolve('shredded' as const);
      if (t === undefined || t.shreddedAt !== null || t.tekVersion !== key.tekVersion) {
        return Promise.resolve('stale_tek' as const);
      }
      const keys = subjects.get(sid(tenantId, subjectId)) ?? new Map<number, StoredSubjectKey>();
      subjects.set(sid(tenantId, subjectId), keys);
      if (keys.has(key.version)) return Promise.resolve('exists' as const);
      keys.set(key.version, key);
      return Promise.resolve('added' as const);
    },
    async ensureSubjectKey(_tx, tenantId, subjectId, key) {
      const t = tenants.get(tenantId);
      const shreddedAt = tombstones.get(sid(tenantId, subjectId)) ?? null;
      const keys = () => [...(subjects.get(sid(tenantId, subjectId))?.values() ?? [])];
      const wanted = shreddedAt === null && keys().length === 0;
      const added = wanted && (await this.addSubjectKey(tenantId, subjectId, key)) === 'added';
      return {
        shreddedAt,
        keys: shreddedAt === null ? keys() : [],
        added,
        tenant: t && { tekVersion: t.tekVersion, shredded: t.shreddedAt !== null },
      };
    },
    async addSubjectKeys(tenantId, keys) {
      const results = new Map<string, Awaited<ReturnType<KeyStore['addSubjectKey']>>>();
      for (const { subjectId, key } of keys)
        results.set(subjectId, await this.addSubjectKey(tenantId, subjectId, key));
      return results;
    },
    listSubjectKeysBelowTek: (tenantId, tekVersion, limit) =>
      Promise.resolve(
        ofTenant(tenantId)
          .flatMap(([k, keys]) =>
            [...keys.values()].map((key) => ({ ...key, subjectId: k.split('/')[1] ?? '' })),
          )
          .filter((k) => k.tekVersion < tekVersion)
          .slice(0, limit),
      ),
    replaceSubjectWrapping: (tenantId, subjectId, old, next) => {
      const keys = subjects.get(sid(tenantId, subjectId));
      if (keys?.get(old.version)?.tekVersion !== old.tekVersion) return Promise.resolve(false);
      keys.set(old.version, { ...next, version: old.version });
      return Promise.resolve(true);
    },
    shredSubject: (_tx, tenantId, subjectId) => {
      const key = sid(tenantId, subjectId);
      const dekVersions = subjects.get(key)?.size ?? 0;
      subjects.delete(key);
      const shreddedAt = tombstones.get(key) ?? new Date();
      tombstones.set(key, shreddedAt);
      return Promise.resolve({ dekVersions, shreddedAt });
    },
    shredTenant: (_tx, tenantId) => {
      const t = tenants.get(tenantId);
      if (t === undefined) return Promise.resolve(undefined);
      const owned = ofTenant(tenantId);
      const dekVersions = owned.reduce((n, [, keys]) => n + keys.size, 0);
      for (const [k] of owned) subjects.delete(k);
      t.shreddedAt ??= new Date();
      t.teks.clear();
      t.blindIndexKey = null;
      return Promise.resolve({ dekVersions, shreddedAt: t.shreddedAt });
    },
  };
}
