import type { KeyObject } from 'node:crypto';
import { errors } from '@medspa/errors';
import { generateAesKey } from './aes-gcm.js';
import { keyShredded } from './crypto-errors.js';
import type { KeyStore, StoredSubject, StoredSubjectKey } from './key-store.js';
import { unwrapSubjectKey, unwrapTenantKey, wrapSubjectKey } from './key-wrapping.js';
import type { Kms } from './kms.js';
import { LruCache } from './lru-cache.js';

export interface KeyCacheOptions {
  /** Tenants whose unwrapped keys stay in memory (default 1000). */
  maxTenants?: number;
  /** Patients whose unwrapped data keys stay in memory (default 20000). */
  maxSubjects?: number;
  /** How long an unwrapped key is reused (default 5 min); also how long another replica's shred may lag here. */
  ttlMs?: number;
  now?: () => number;
}

export interface KeyringOptions<Tx> {
  kms: Kms;
  /** The KEK that wraps new tenant keys, e.g. `medspa-kek` (local) or `alias/medspa-kek` (AWS). */
  kekId: string;
  store: KeyStore<Tx>;
  cache?: KeyCacheOptions;
}

/** A Tenant's unwrapped keys. */
export interface TenantKeys {
  tekVersion: number;
  teks: ReadonlyMap<number, KeyObject>;
  blindIndexKey: KeyObject;
}

/** A Patient's unwrapped data keys; `current` seals new fields (undefined when none exists yet). */
export interface SubjectKeys {
  tenantId: string;
  subjectId: string;
  current: { version: number; key: KeyObject } | undefined;
  byVersion: ReadonlyMap<number, KeyObject>;
}

export interface SubjectKeyOptions {
  /** Create the first data key when the Patient has none (writes); reads never create keys. */
  create?: boolean;
  /** Bypass the cache, e.g. on meeting a DEK version not seen yet. */
  reload?: boolean;
}

export const CREATE_ATTEMPTS = 3;

export const notProvisioned = () =>
  errors.precondition('TENANT_NOT_PROVISIONED', 'The tenant has no keys yet');

/** The shared inside of a keyring: loading, unwrapping and caching keys. Ids are canonical already. */
export function createKeyringCore<Tx>(options: KeyringOptions<Tx>) {
  const { kms, store } = options;
  const ttlMs = options.cache?.ttlMs ?? 5 * 60_000;
  const now = options.cache?.now;
  const tenants = new LruCache<string, Promise<TenantKeys>>({
    maxEntries: options.cache?.maxTenants ?? 1000,
    ttlMs,
    now,
  });
  const subjects = new LruCache<string, Promise<SubjectKeys>>({
    maxEntries: options.cache?.maxSubjects ?? 20_000,
    ttlMs,
    now,
  });

  // Caching the promise, not the value, means 50 concurrent reads of one chart unwrap once.
  function cached<V>(
    cache: LruCache<string, Promise<V>>,
    key: string,
    reload: boolean,
    load: () => Promise<V>,
  ) {
    let pending = reload ? undefined : cache.get(key);
    if (pending === undefined) {
      const loading = load();
      cache.set(key, loading);
      loading.catch(() => {
        if (cache.peek(key) === loading) cache.delete(key);
      });
      pending = loading;
    }
    return pending;
  }

  const tenantKeys = (tenantId: string, reload = false): Promise<TenantKeys> =>
    cached(tenants, tenantId, reload, async () => {
      const stored = await store.loadTenant(tenantId);
      if (stored === undefined) throw notProvisioned();
      if (stored.shreddedAt !== null) throw keyShredded('tenant');
      if (stored.blindIndexKey === null) throw errors.internal('KEY_NOT_FOUND', 'Blind-index key missing');
      const teks = new Map<number, KeyObject>();
      const unwrapping = stored.teks.map(async (t) =>
        teks.set(t.version, await unwrapTenantKey(kms, 'tek', tenantId, t)),
      );
      const [blindIndexKey] = await Promise.all([
        unwrapTenantKey(kms, 'blind_index', tenantId, stored.blindIndexKey),
        ...unwrapping,
      ]);
      return { tekVersion: stored.tekVersion, teks, blindIndexKey };
    });

  async function assertTenantLive(tenantId: string): Promise<void> {
    const stored = await store.loadTenant(tenantId);
    if (stored === undefined) throw notProvisioned();
    if (stored.shreddedAt === null) return;
    tenants.delete(tenantId);
    throw keyShredded('tenant');
  }

  async function tekFor(tenantId: string, version: number): Promise<KeyObject> {
    const tek =
      (await tenantKeys(tenantId)).teks.get(version) ?? (await tenantKeys(tenantId, true)).teks.get(version);
    if (tek === undefined) throw errors.internal('KEY_NOT_FOUND', 'The tenant key version is missing');
    return tek;
  }

  async function unwrapAll(
    tenantId: string,
    subjectId: string,
    keys: StoredSubjectKey[],
  ): Promise<SubjectKeys> {
    const byVersion = new Map<number, KeyObject>();
    for (const k of keys) {
      const tek = await tekFor(tenantId, k.tekVersion);
      byVersion.set(k.version, unwrapSubjectKey(tek, tenantId, subjectId, k));
    }
    const version = Math.max(0, ...byVersion.keys());
    const key = byVersion.get(version);
    return { tenantId, subjectId, byVersion, current: key === undefined ? undefined : { version, key } };
  }

  /** Adds data key `version` under the current TEK; false when that version exists already. */
  async function addSubjectKey(tenantId: string, subjectId: string, version: number): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const tenant = await tenantKeys(tenantId, attempt > 1);
      const tek = tenant.teks.get(tenant.tekVersion);
      if (tek === undefined) throw errors.internal('KEY_NOT_FOUND', 'The current tenant key is missing');
      const wrapped = wrapSubjectKey(tek, tenantId, subjectId, version, tenant.tekVersion, generateAesKey());
      const result = await store.addSubjectKey(tenantId, subjectId, wrapped);
      if (result === 'shredded') throw keyShredded('subject');
      if (result !== 'stale_tek') return result === 'added';
      // A rotation or Tenant shred got in between; the reload above sees which.
      if (attempt >= CREATE_ATTEMPTS) {
        throw errors.conflict('KEY_ROTATION_CONFLICT', 'Tenant keys kept changing');
      }
    }
  }

  async function subjectKeys(
    tenantId: string,
    subjectId: string,
    opts: SubjectKeyOptions = {},
  ): Promise<SubjectKeys> {
    const cacheKey = `${tenantId}/${subjectId}`;
    const load = (reload: boolean, create: boolean) =>
      cached(subjects, cacheKey, reload, async () =>
        fromStored(tenantId, subjectId, await store.loadSubject(tenantId, subjectId), create),
      );
    const pending = load(opts.reload ?? false, opts.create ?? false);
    const keys = await pending;
    if (keys.current !== undefined) return keys;
    // A Patient without keys is not cached, so that a later write can create one.
    if (subjects.peek(cacheKey) === pending) subjects.delete(cacheKey);
    return opts.create === true ? load(true, true) : keys;
  }

  /** A Patient's keys from what the store holds: unwrapped, created when asked, or KEY_SHREDDED. */
  async function fromStored(
    tenantId: string,
    subjectId: string,
    stored: StoredSubject,
    create: boolean,
  ): Promise<SubjectKeys> {
    if (stored.shreddedAt !== null) throw keyShredded('subject');
    if (stored.keys.length > 0) return unwrapAll(tenantId, subjectId, stored.keys);
    // No key: a new Patient, or a whole Tenant shredded (maybe by another replica) — tell which.
    await assertTenantLive(tenantId);
    if (!create) return unwrapAll(tenantId, subjectId, []);
    await addSubjectKey(tenantId, subjectId, 1); // false: another writer won the race; read theirs
    const created = await store.loadSubject(tenantId, subjectId);
    if (created.shreddedAt !== null) throw keyShredded('subject');
    return unwrapAll(tenantId, subjectId, created.keys);
  }

  /**
   * Reads the keys of every Patient not cached yet in one store query (a page of search results,
   * a batch of a projection), so that the `subjectKeys` calls that follow hit the cache. Failures
   * are not reported here: a Patient whose keys did not load (shredded, missing) is read again by
   * its own `subjectKeys` call, which reports it as it always did.
   */
  async function preloadSubjectKeys(tenantId: string, subjectIds: readonly string[]): Promise<void> {
    const missing = [...new Set(subjectIds)].filter((id) => subjects.peek(`${tenantId}/${id}`) === undefined);
    if (missing.length === 0 || store.loadSubjects === undefined) return;
    const batch = store.loadSubjects(tenantId, missing);
    const pending = missing.map((subjectId) => {
      const cacheKey = `${tenantId}/${subjectId}`;
      const keys = cached(subjects, cacheKey, false, async () => {
        const stored = (await batch).get(subjectId) ?? { shreddedAt: null, keys: [] };
        // Keyless (a new Patient): left to its own subjectKeys call, which asks whether the Tenant
        // was shredded; asking here would be one more query per new Patient of a bulk import.
        if (stored.shreddedAt === null && stored.keys.length === 0) return unwrapAll(tenantId, subjectId, []);
        return fromStored(tenantId, subjectId, stored, false);
      });
      return { cacheKey, keys };
    });
    await Promise.all(
      pending.map(async ({ cacheKey, keys }) => {
        const loaded = await keys.catch(() => undefined);
        // As in subjectKeys: a Patient without keys is not cached, so that a write can create one.
        if (loaded?.current === undefined && subjects.peek(cacheKey) === keys) subjects.delete(cacheKey);
      }),
    );
  }

  /**
   * Makes sure every Patient has a data key (a bulk import): those without one get it in one store
   * transaction, then all are read in one query into the cache. A Patient the batch could not serve
   * (shredded, a TEK rotated meanwhile) goes the one-by-one way, which retries or throws as usual.
   */
  async function createSubjectKeys(tenantId: string, subjectIds: readonly string[]): Promise<void> {
    await preloadSubjectKeys(tenantId, subjectIds);
    const missing = [...new Set(subjectIds)].filter((id) => subjects.peek(`${tenantId}/${id}`) === undefined);
    if (missing.length === 0) return;
    let single = missing;
    if (store.addSubjectKeys !== undefined) {
      const tenant = await tenantKeys(tenantId);
      const tek = tenant.teks.get(tenant.tekVersion);
      if (tek === undefined) throw errors.internal('KEY_NOT_FOUND', 'The current tenant key is missing');
      const results = await store.addSubjectKeys(
        tenantId,
        missing.map((subjectId) => ({
          subjectId,
          key: wrapSubjectKey(tek, tenantId, subjectId, 1, tenant.tekVersion, generateAesKey()),
        })),
      );
      const stored = missing.filter((id) => results.get(id) === 'added' || results.get(id) === 'exists');
      await preloadSubjectKeys(tenantId, stored);
      single = missing.filter((id) => subjects.peek(`${tenantId}/${id}`) === undefined);
    }
    await Promise.all(single.map((id) => subjectKeys(tenantId, id, { create: true })));
  }

  /** The Patient's cached keys when they have a current one; no I/O. */
  async function cachedSubjectKeys(tenantId: string, subjectId: string): Promise<SubjectKeys | undefined> {
    const keys = await subjects.peek(`${tenantId}/${subjectId}`)?.catch(() => undefined);
    return keys?.current === undefined ? undefined : keys;
  }

  /** Caches keys known to be committed (read, or created in a transaction that has committed). */
  function remember(keys: SubjectKeys): void {
    subjects.set(`${keys.tenantId}/${keys.subjectId}`, Promise.resolve(keys));
  }

  function forget(tenantId: string, subjectId?: string): void {
    if (subjectId !== undefined) {
      subjects.delete(`${tenantId}/${subjectId}`);
      return;
    }
    tenants.delete(tenantId);
    subjects.deleteWhere((key) => key.startsWith(`${tenantId}/`));
  }

  return {
    ...options,
    tenantKeys,
    subjectKeys,
    preloadSubjectKeys,
    createSubjectKeys,
    addSubjectKey,
    unwrapAll,
    cachedSubjectKeys,
    remember,
    forget,
  };
}

export type KeyringCore<Tx> = ReturnType<typeof createKeyringCore<Tx>>;
