/**
 * Non-secret facts bound to a wrapped key (AWS KMS "encryption context", AAD for the local KMS):
 * unwrapping with a different context fails, so a wrapped TEK cannot be swapped between Tenants.
 */
export type KmsContext = Readonly<Record<string, string>>;

export interface KmsWrapped {
  /** The exact key version that wrapped it (local: `name:v3`; AWS: the key ARN); needed to unwrap. */
  keyRef: string;
  ciphertext: Buffer;
}

/**
 * The port to whatever holds key-encryption keys (KEKs). KEK material never leaves it; it only
 * wraps and unwraps our 256-bit tenant keys. `keyId` names a KEK whose current version can change
 * by rotation; `keyRef` names one version, and stays valid after rotation.
 */
export interface Kms {
  /** Wraps `plaintext` (≤ 4 KiB) under the current version of `keyId`. */
  wrap(keyId: string, plaintext: Uint8Array, context: KmsContext): Promise<KmsWrapped>;
  /** Unwraps what `wrap` returned; throws when the ciphertext, key version or context differ. */
  unwrap(keyRef: string, ciphertext: Uint8Array, context: KmsContext): Promise<Buffer>;
  /** The key version that `wrap(keyId, …)` uses now. */
  currentKeyRef(keyId: string): Promise<string>;
  /** Makes a new version current; old versions keep unwrapping. Returns the new key reference. */
  rotateKey(keyId: string): Promise<string>;
}

/** The context as canonical bytes (sorted keys), for adapters that feed it to AES-GCM as AAD. */
export function canonicalContext(context: KmsContext): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((k) => [k, context[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}
