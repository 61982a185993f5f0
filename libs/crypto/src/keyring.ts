import type { KeyObject } from 'node:crypto';
import { errors } from '@medspa/errors';
import { generateAesKey } from './aes-gcm.js';
import { canonicalUuid, UUID } from './ids.js';
import {
  createKeyringCore,
  type KeyringOptions,
  type SubjectKeyOptions,
  type SubjectKeys,
} from './keyring-core.js';
import { wrapTenantKey } from './key-wrapping.js';
import { offerSubjectKey, writeWithSubjectKeys, type SubjectKeyOffer } from './writer-keys.js';
import {
  rewrapTenantKeys,
  rotateKek,
  rotateSubjectKey,
  rotateTenantKey,
  type KekRewrapResult,
  type TenantKeyRotationResult,
} from './rotation.js';
import {
  shredSubject,
  shredTenant,
  type ShredListener,
  type ShredListeners,
  type SubjectKeysShredded,
  type TenantKeysShredded,
} from './shredding.js';

export interface TxOption<Tx> {
  /** Join the caller's open transaction (e.g. a pg client after BEGIN) instead of starting one. */
  client?: Tx;
}

/** The key hierarchy of one service: KEK (KMS) → TEK per Tenant → DEK per Patient, with caching. */
export interface Keyring<Tx = unknown> {
  /** Creates the Tenant's TEK and blind-index key; false when it had them already. */
  provisionTenant(tenantId: string, options?: TxOption<Tx>): Promise<boolean>;
  /** The Patient's unwrapped data keys (cached); `create` makes the first one on a write. */
  subjectKeys(tenantId: string, subjectId: string, options?: SubjectKeyOptions): Promise<SubjectKeys>;
  /**
   * Loads the keys of many Patients in one query into the cache (a page of search results), so
   * that their `subjectKeys` calls do not each read the store; never creates keys nor throws for
   * one Patient (their own `subjectKeys` call reports a shredded or invalid Patient).
   */
  preloadSubjectKeys(tenantId: string, subjectIds: readonly string[]): Promise<void>;
  /**
   * Gives every Patient listed a data key, the missing ones created in one store transaction (a
   * bulk import), and caches them all; rejects as `subjectKeys(..., { create: true })` would.
   */
  createSubjectKeys(tenantId: string, subjectIds: readonly string[]): Promise<void>;
  /** The Patient's cached keys when they have a current one (no I/O), else undefined. */
  cachedSubjectKeys(tenantId: string, subjectId: string): Promise<SubjectKeys | undefined>;
  /**
   * Runs `fn` in one key-store transaction (the caller's `client`, or a new one) in which `keysOf`
   * gives each Patient's keys for writing: the cached ones, else read under the Patient's shred
   * lock, with the first data key created inside this very transaction, so that the key commits or
   * rolls back together with what it seals. Keys read or created here are cached only once the
   * keyring's own transaction has committed, never after a caller's `client` (it may roll back).
   * Ask for several Patients in one order (sorted), as the locks are held until the end.
   */
  writeWithSubjectKeys<T>(
    tenantId: string,
    fn: (tx: Tx, keysOf: (subjectId: string) => Promise<SubjectKeys>) => Promise<T>,
    options?: TxOption<Tx>,
  ): Promise<T>;
  /**
   * For a new Patient's first write in ONE statement (no transaction of its own): a fresh data key
   * and the key store's condition that stores it in that statement under the Patient's shred lock,
   * true only when it went in (the Patient had no key, is not shredded, the TEK is current), so the
   * key commits with the write or not at all. The write must not be made when the condition is
   * false (the Patient's stored key, if any, is another one: `writeWithSubjectKeys` then); the
   * keys are cached by `stored()` after the commit. Undefined when the store cannot.
   */
  offerSubjectKey(tenantId: string, subjectId: string): Promise<SubjectKeyOffer | undefined>;
  /** The Tenant's unwrapped blind-index HMAC key (cached). */
  blindIndexKey(tenantId: string): Promise<KeyObject>;
  /** New KEK version in the KMS, then every TEK and blind-index key re-wrapped under it. */
  rotateKek(): Promise<KekRewrapResult>;
  /** Re-wraps tenant-level keys not yet under the current KEK version (resumable). */
  rewrapTenantKeys(): Promise<KekRewrapResult>;
  /** New TEK version; every data key of the Tenant re-wrapped under it. */
  rotateTenantKey(tenantId: string): Promise<TenantKeyRotationResult>;
  /** New data key version for the Patient's future writes. */
  rotateSubjectKey(tenantId: string, subjectId: string): Promise<number>;
  /** Crypto-shreds one Patient; listeners run in the same transaction. */
  shredSubject(tenantId: string, subjectId: string, options?: TxOption<Tx>): Promise<SubjectKeysShredded>;
  /** Crypto-shreds a whole Tenant; listeners run in the same transaction. */
  shredTenant(tenantId: string, options?: TxOption<Tx>): Promise<TenantKeysShredded>;
  /** Registers a purge hook for shredded Patients; returns its removal. */
  onSubjectShredded(listener: ShredListener<SubjectKeysShredded, Tx>): () => void;
  /** Registers a purge hook for shredded Tenants; returns its removal. */
  onTenantShredded(listener: ShredListener<TenantKeysShredded, Tx>): () => void;
  /** Drops cached keys, e.g. when another replica reports a shred. */
  forget(tenantId: string, subjectId?: string): void;
}

/** A keyring over a KMS and a key store (`createPgKeyStore` in services). */
export function createKeyring<Tx>(options: KeyringOptions<Tx>): Keyring<Tx> {
  if (options.kekId === '') throw errors.validation('INVALID_KEY_ID', 'kekId is required');
  const core = createKeyringCore(options);
  const listeners: ShredListeners<Tx> = { subject: [], tenant: [] };
  const tenant = (id: string) => canonicalUuid(id, 'tenantId');
  const subject = (id: string) => canonicalUuid(id, 'subjectId');
  const register = <L>(list: L[], listener: L) => {
    list.push(listener);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  };

  return {
    async provisionTenant(tenantId, opts = {}) {
      const id = tenant(tenantId);
      if ((await core.store.loadTenant(id)) !== undefined) return false;
      // Wrap before opening the transaction: a KMS round trip must not hold a transaction open.
      const tek = await wrapTenantKey(core.kms, core.kekId, 'tek', id, 1, generateAesKey());
      const bik = await wrapTenantKey(core.kms, core.kekId, 'blind_index', id, 1, generateAesKey());
      return core.store.transaction((tx) => core.store.createTenant(tx, id, tek, bik), opts.client);
    },
    // async throughout, so that an invalid id rejects like every other failure instead of throwing.
    subjectKeys: async (tenantId, subjectId, opts) =>
      core.subjectKeys(tenant(tenantId), subject(subjectId), opts),
    preloadSubjectKeys: async (tenantId, subjectIds) => {
      if (!UUID.test(tenantId)) return; // the caller's own subjectKeys call reports it
      const valid = subjectIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase());
      return core.preloadSubjectKeys(tenant(tenantId), valid);
    },
    createSubjectKeys: async (tenantId, subjectIds) =>
      core.createSubjectKeys(
        tenant(tenantId),
        subjectIds.map((id) => subject(id)),
      ),
    cachedSubjectKeys: async (tenantId, subjectId) =>
      core.cachedSubjectKeys(tenant(tenantId), subject(subjectId)),
    writeWithSubjectKeys: async (tenantId, fn, opts = {}) =>
      writeWithSubjectKeys(
        core,
        tenant(tenantId),
        (tx, keysOf) => fn(tx, (id) => keysOf(subject(id))),
        opts.client,
      ),
    offerSubjectKey: async (tenantId, subjectId) =>
      offerSubjectKey(core, tenant(tenantId), subject(subjectId)),
    blindIndexKey: async (tenantId) => (await core.tenantKeys(tenant(tenantId))).blindIndexKey,
    rotateKek: () => rotateKek(core),
    rewrapTenantKeys: () => rewrapTenantKeys(core),
    rotateTenantKey: async (tenantId) => rotateTenantKey(core, tenant(tenantId)),
    rotateSubjectKey: async (tenantId, subjectId) =>
      rotateSubjectKey(core, tenant(tenantId), subject(subjectId)),
    shredSubject: async (tenantId, subjectId, opts = {}) =>
      shredSubject(core, listeners, tenant(tenantId), subject(subjectId), opts.client),
    shredTenant: async (tenantId, opts = {}) => shredTenant(core, listeners, tenant(tenantId), opts.client),
    onSubjectShredded: (listener) => register(listeners.subject, listener),
    onTenantShredded: (listener) => register(listeners.tenant, listener),
    forget: (tenantId, subjectId) =>
      core.forget(tenant(tenantId), subjectId === undefined ? undefined : subject(subjectId)),
  };
}
