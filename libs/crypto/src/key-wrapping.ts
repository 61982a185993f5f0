import type { KeyObject } from 'node:crypto';
import { exportAesKey, lengthPrefixed, open, seal, toAesKey } from './aes-gcm.js';
import type { StoredSubjectKey, StoredTenantKey, TenantKeyKind } from './key-store.js';
import type { Kms, KmsContext } from './kms.js';

/** What a tenant-level key is bound to at the KMS (also shows up in the KMS audit log: ids only). */
export const tenantKeyContext = (kind: TenantKeyKind, tenantId: string, version: number): KmsContext => ({
  purpose: kind === 'tek' ? 'medspa-tenant-key' : 'medspa-blind-index-key',
  tenant_id: tenantId,
  version: String(version),
});

/** Wraps a TEK or blind-index key under the current version of the KEK. */
export async function wrapTenantKey(
  kms: Kms,
  kekId: string,
  kind: TenantKeyKind,
  tenantId: string,
  version: number,
  key: KeyObject,
): Promise<StoredTenantKey> {
  const raw = exportAesKey(key);
  try {
    const wrapped = await kms.wrap(kekId, raw, tenantKeyContext(kind, tenantId, version));
    return { version, wrappedKey: wrapped.ciphertext, kekId, kekRef: wrapped.keyRef };
  } finally {
    raw.fill(0);
  }
}

/** Unwraps a stored TEK or blind-index key through the KMS. */
export async function unwrapTenantKey(
  kms: Kms,
  kind: TenantKeyKind,
  tenantId: string,
  stored: StoredTenantKey,
): Promise<KeyObject> {
  return toAesKey(
    await kms.unwrap(stored.kekRef, stored.wrappedKey, tenantKeyContext(kind, tenantId, stored.version)),
  );
}

// A wrapped DEK is bound to its Tenant, Patient and versions: a row copied to another Patient fails.
const dekAad = (tenantId: string, subjectId: string, version: number, tekVersion: number): Buffer =>
  lengthPrefixed('medspa/dek/v1', tenantId, subjectId, String(version), String(tekVersion));

/** Wraps a Patient's DEK under a TEK, locally (AES-256-GCM; no KMS call per Patient). */
export function wrapSubjectKey(
  tek: KeyObject,
  tenantId: string,
  subjectId: string,
  version: number,
  tekVersion: number,
  dek: KeyObject,
): StoredSubjectKey {
  const raw = exportAesKey(dek);
  try {
    return {
      version,
      tekVersion,
      wrappedKey: seal(tek, raw, dekAad(tenantId, subjectId, version, tekVersion)),
    };
  } finally {
    raw.fill(0);
  }
}

/** Unwraps a Patient's DEK with the TEK version that wrapped it. */
export function unwrapSubjectKey(
  tek: KeyObject,
  tenantId: string,
  subjectId: string,
  stored: StoredSubjectKey,
): KeyObject {
  return toAesKey(
    open(tek, stored.wrappedKey, dekAad(tenantId, subjectId, stored.version, stored.tekVersion)),
  );
}
