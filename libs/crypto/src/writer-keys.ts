import { errors } from '@medspa/errors';
import { generateAesKey } from './aes-gcm.js';
import { keyShredded } from './crypto-errors.js';
import type { WriteCondition } from './key-store.js';
import { wrapSubjectKey } from './key-wrapping.js';
import { CREATE_ATTEMPTS, notProvisioned, type KeyringCore, type SubjectKeys } from './keyring-core.js';

/** Gives a Patient's keys for a write inside the transaction it was handed with. */
export type WriterKeys = (subjectId: string) => Promise<SubjectKeys>;

/**
 * The Patient's keys read inside `tx` under their shred lock, the first one created in `tx` when
 * there is none. Never cached here: `tx` may still roll back, and a key that rolled back must not
 * seal anything else.
 */
async function subjectKeysIn<Tx>(
  core: KeyringCore<Tx>,
  tx: Tx,
  tenantId: string,
  subjectId: string,
): Promise<SubjectKeys> {
  const store = core.store;
  // A store without it: the key is created and committed on its own first (an orphan is harmless).
  if (store.ensureSubjectKey === undefined) return core.subjectKeys(tenantId, subjectId, { create: true });
  for (let attempt = 1; ; attempt++) {
    const tenant = await core.tenantKeys(tenantId, attempt > 1);
    const tek = tenant.teks.get(tenant.tekVersion);
    if (tek === undefined) throw errors.internal('KEY_NOT_FOUND', 'The current tenant key is missing');
    const dek = generateAesKey();
    const offered = wrapSubjectKey(tek, tenantId, subjectId, 1, tenant.tekVersion, dek);
    const found = await store.ensureSubjectKey(tx, tenantId, subjectId, offered);
    if (found.tenant === undefined) throw notProvisioned();
    if (found.tenant.shredded) {
      core.forget(tenantId);
      throw keyShredded('tenant');
    }
    if (found.shreddedAt !== null) throw keyShredded('subject');
    // Ours went in (the Patient had none): no need to unwrap what was just wrapped.
    if (found.added)
      return { tenantId, subjectId, current: { version: 1, key: dek }, byVersion: new Map([[1, dek]]) };
    if (found.keys.length > 0) return core.unwrapAll(tenantId, subjectId, found.keys);
    // Nothing inserted: the TEK rotated since it was cached; the reload above sees the new one.
    if (attempt >= CREATE_ATTEMPTS)
      throw errors.conflict('KEY_ROTATION_CONFLICT', 'Tenant keys kept changing');
  }
}

/** See `Keyring.writeWithSubjectKeys`; ids are canonical already. */
export async function writeWithSubjectKeys<Tx, T>(
  core: KeyringCore<Tx>,
  tenantId: string,
  fn: (tx: Tx, keysOf: WriterKeys) => Promise<T>,
  client?: Tx,
): Promise<T> {
  const read = new Map<string, Promise<{ keys: SubjectKeys; cached: boolean }>>();
  const { store } = core;
  const inTransaction = <R>(body: (tx: Tx) => Promise<R>): Promise<R> =>
    client === undefined && store.writeTransaction !== undefined
      ? store.writeTransaction(body)
      : store.transaction(body, client);
  const result = await inTransaction((tx) =>
    fn(tx, async (subjectId) => {
      let pending = read.get(subjectId);
      if (pending === undefined) {
        pending = core
          .cachedSubjectKeys(tenantId, subjectId)
          .then(async (cached) =>
            cached !== undefined
              ? { keys: cached, cached: true }
              : { keys: await subjectKeysIn(core, tx, tenantId, subjectId), cached: false },
          );
        read.set(subjectId, pending);
      }
      return (await pending).keys;
    }),
  );
  // Committed only now (and a caller's `client` may still roll back): cache from here on only.
  if (client === undefined) {
    for (const pending of read.values()) {
      const { keys, cached } = await pending;
      if (!cached) core.remember(keys);
    }
  }
  return result;
}

/** A new Patient's first data key, for a write that stores it within its own statement. */
export interface SubjectKeyOffer {
  /** What to seal with: `current` is the key offered. */
  keys: SubjectKeys;
  /** For the write's one statement: stores the key, true only when it went in. */
  condition: WriteCondition;
  /** Caches the keys; call only once that statement committed with the condition true. */
  stored(): void;
}

/**
 * See `Keyring.offerSubjectKey`; ids are canonical already. Made and wrapped under the cached
 * current TEK: no I/O once the Tenant's keys are cached. A TEK rotated meanwhile, a shred or a key
 * that exists already make the condition false (the store checks them under the shred lock).
 */
export async function offerSubjectKey<Tx>(
  core: KeyringCore<Tx>,
  tenantId: string,
  subjectId: string,
): Promise<SubjectKeyOffer | undefined> {
  const { store } = core;
  if (store.offerSubjectKey === undefined) return undefined;
  const tenant = await core.tenantKeys(tenantId);
  const tek = tenant.teks.get(tenant.tekVersion);
  if (tek === undefined) throw errors.internal('KEY_NOT_FOUND', 'The current tenant key is missing');
  const dek = generateAesKey();
  const keys: SubjectKeys = {
    tenantId,
    subjectId,
    current: { version: 1, key: dek },
    byVersion: new Map([[1, dek]]),
  };
  const wrapped = wrapSubjectKey(tek, tenantId, subjectId, 1, tenant.tekVersion, dek);
  return {
    keys,
    condition: store.offerSubjectKey(tenantId, subjectId, wrapped),
    stored: () => core.remember(keys),
  };
}
