import { errors } from '@medspa/errors';
import { generateAesKey } from './aes-gcm.js';
import type { KeyringCore } from './keyring-core.js';
import { unwrapSubjectKey, unwrapTenantKey, wrapSubjectKey, wrapTenantKey } from './key-wrapping.js';

const BATCH = 200;
const DROP_ATTEMPTS = 3;

export interface KekRewrapResult {
  /** The KEK version every tenant-level key is now wrapped under. */
  kekRef: string;
  rewrapped: number;
}

export interface TenantKeyRotationResult {
  tekVersion: number;
  rewrapped: number;
  /** False when a straggling writer kept using an old TEK; run the rotation's re-wrap again later. */
  oldVersionsDropped: boolean;
}

/**
 * Re-wraps every TEK and blind-index key that is not under the KEK's current version. Only wrapped
 * keys change: events and field ciphertexts are untouched. Idempotent and resumable, so it can run
 * after an operator rotated the KEK in the KMS, or after `kekId` was changed in configuration.
 */
export async function rewrapTenantKeys<Tx>(core: KeyringCore<Tx>): Promise<KekRewrapResult> {
  const { kms, kekId, store } = core;
  let kekRef = await kms.currentKeyRef(kekId);
  let rewrapped = 0;
  for (;;) {
    const batch = await store.listKekWrappingsNotUnder(kekRef, BATCH);
    if (batch.length === 0) return { kekRef, rewrapped };
    for (const old of batch) {
      const key = await unwrapTenantKey(kms, old.kind, old.tenantId, old);
      const next = await wrapTenantKey(kms, kekId, old.kind, old.tenantId, old.version, key);
      // The KEK moved again meanwhile: aim at the newest version from here on.
      kekRef = next.kekRef;
      if (await store.replaceKekWrapping(old, next)) rewrapped++;
    }
  }
}

/** Makes a new KEK version current in the KMS, then re-wraps every tenant-level key under it. */
export async function rotateKek<Tx>(core: KeyringCore<Tx>): Promise<KekRewrapResult> {
  await core.kms.rotateKey(core.kekId);
  return rewrapTenantKeys(core);
}

/**
 * Gives the Tenant a new TEK version, re-wraps every Patient data key under it, then drops the old
 * versions. Data keys themselves do not change, so no field ciphertext is touched.
 */
export async function rotateTenantKey<Tx>(
  core: KeyringCore<Tx>,
  tenantId: string,
): Promise<TenantKeyRotationResult> {
  const { kms, kekId, store } = core;
  const before = await core.tenantKeys(tenantId, true);
  const tekVersion = before.tekVersion + 1;
  const stored = await wrapTenantKey(kms, kekId, 'tek', tenantId, tekVersion, generateAesKey());
  if (!(await store.addTek(tenantId, stored))) {
    throw errors.conflict(
      'KEY_ROTATION_CONFLICT',
      'Another rotation of this tenant key ran at the same time',
    );
  }
  const tenant = await core.tenantKeys(tenantId, true);
  const tek = tenant.teks.get(tekVersion) ?? (await unwrapTenantKey(kms, 'tek', tenantId, stored));
  let rewrapped = 0;
  for (let attempt = 1; ; attempt++) {
    for (;;) {
      const batch = await store.listSubjectKeysBelowTek(tenantId, tekVersion, BATCH);
      if (batch.length === 0) break;
      for (const old of batch) {
        const oldTek = tenant.teks.get(old.tekVersion);
        if (oldTek === undefined) {
          throw errors.internal('KEY_NOT_FOUND', 'A data key names an unknown tenant key');
        }
        const dek = unwrapSubjectKey(oldTek, tenantId, old.subjectId, old);
        const next = wrapSubjectKey(tek, tenantId, old.subjectId, old.version, tekVersion, dek);
        if (await store.replaceSubjectWrapping(tenantId, old.subjectId, old, next)) rewrapped++;
      }
    }
    const dropped = await store.dropTeksBelow(tenantId, tekVersion);
    if (dropped || attempt >= DROP_ATTEMPTS) {
      core.forget(tenantId);
      return { tekVersion, rewrapped, oldVersionsDropped: dropped };
    }
  }
}

/**
 * Gives a Patient a new data key version for new writes; old fields stay readable under their
 * version. Rarely needed (per-Patient keys with random IVs do not wear out); here for key hygiene.
 */
export async function rotateSubjectKey<Tx>(
  core: KeyringCore<Tx>,
  tenantId: string,
  subjectId: string,
): Promise<number> {
  const keys = await core.subjectKeys(tenantId, subjectId, { reload: true });
  const version = (keys.current?.version ?? 0) + 1;
  if (!(await core.addSubjectKey(tenantId, subjectId, version))) {
    throw errors.conflict('KEY_ROTATION_CONFLICT', 'Another rotation of this data key ran at the same time');
  }
  core.forget(tenantId, subjectId);
  return version;
}
