import type { KeyObject } from 'node:crypto';
import { errors } from '@medspa/errors';
import { generateAesKey, lengthPrefixed, open, seal } from './aes-gcm.js';
import { canonicalContext, type Kms, type KmsContext, type KmsWrapped } from './kms.js';

/** All versions of one local KEK; the highest is current. */
export interface LocalKeyset {
  keyId: string;
  versions: Map<number, KeyObject>;
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const WRAP_FORMAT = 0x01;
const AAD_LABEL = 'medspa-local-kms/v1';

/** Throws unless `keyId` is safe as a file name. */
export function assertLocalKeyId(keyId: string): void {
  if (!KEY_ID.test(keyId)) throw errors.validation('INVALID_KEY_ID', 'KMS key id must match [A-Za-z0-9_-]');
}

export const currentVersion = (set: LocalKeyset): number => Math.max(...set.versions.keys());
export const localKeyRef = (keyId: string, version: number): string => `${keyId}:v${version}`;

/** A keyset with one fresh 256-bit version. */
export function newKeyset(keyId: string): LocalKeyset {
  return { keyId, versions: new Map([[1, generateAesKey()]]) };
}

/** Parses `name:v3`; throws for anything else. */
export function parseLocalKeyRef(keyRef: string): { keyId: string; version: number } {
  const match = /^(.+):v(\d+)$/.exec(keyRef);
  if (match?.[1] === undefined || match[2] === undefined) {
    throw errors.internal('KEY_UNWRAP_FAILED', 'Malformed local KMS key reference');
  }
  return { keyId: match[1], version: Number(match[2]) };
}

/** Wraps under the current version: [format][uint32 version][iv ‖ ciphertext ‖ tag]. */
export function wrapWithKeyset(set: LocalKeyset, plaintext: Uint8Array, context: KmsContext): KmsWrapped {
  const version = currentVersion(set);
  const head = Buffer.alloc(5);
  head[0] = WRAP_FORMAT;
  head.writeUInt32BE(version, 1);
  const key = set.versions.get(version);
  if (key === undefined) {
    throw errors.internal('KMS_KEY_MISSING', 'The current local KMS key version is missing');
  }
  const sealed = seal(key, plaintext, aad(set.keyId, head, context));
  return { keyRef: localKeyRef(set.keyId, version), ciphertext: Buffer.concat([head, sealed]) };
}

/** The version a wrapped blob names, so a caller can reload keys it has not seen yet. */
export const wrappedVersion = (ciphertext: Uint8Array): number =>
  ciphertext.length >= 5 ? Buffer.from(ciphertext).readUInt32BE(1) : -1;

/** Unwraps; the version comes from the blob and must match the key reference. */
export function unwrapWithKeyset(
  set: LocalKeyset,
  keyRef: string,
  ciphertext: Uint8Array,
  context: KmsContext,
): Buffer {
  const bytes = Buffer.from(ciphertext);
  const ref = parseLocalKeyRef(keyRef);
  const version = wrappedVersion(bytes);
  const key = set.versions.get(version);
  if (bytes[0] !== WRAP_FORMAT || ref.keyId !== set.keyId || ref.version !== version || key === undefined) {
    throw errors.internal('KEY_UNWRAP_FAILED', 'The wrapped key does not match a local KMS key version');
  }
  return open(key, bytes.subarray(5), aad(set.keyId, bytes.subarray(0, 5), context));
}

function aad(keyId: string, head: Buffer, context: KmsContext): Buffer {
  return lengthPrefixed(AAD_LABEL, keyId, head, canonicalContext(context));
}

/** A KMS held in memory, for unit tests and throwaway processes; keys are created on first use. */
export function createInMemoryKms(): Kms {
  const sets = new Map<string, LocalKeyset>();
  const keyset = (keyId: string): LocalKeyset => {
    assertLocalKeyId(keyId);
    let set = sets.get(keyId);
    if (set === undefined) sets.set(keyId, (set = newKeyset(keyId)));
    return set;
  };
  return {
    wrap: (keyId, plaintext, context) => later(() => wrapWithKeyset(keyset(keyId), plaintext, context)),
    unwrap: (keyRef, ciphertext, context) =>
      later(() => unwrapWithKeyset(keyset(parseLocalKeyRef(keyRef).keyId), keyRef, ciphertext, context)),
    currentKeyRef: (keyId) => later(() => localKeyRef(keyId, currentVersion(keyset(keyId)))),
    rotateKey: (keyId) =>
      later(() => {
        const set = keyset(keyId);
        const version = currentVersion(set) + 1;
        set.versions.set(version, generateAesKey());
        return localKeyRef(keyId, version);
      }),
  };
}

/** Runs fn so that a throw becomes a rejection, as callers of an async port expect. */
const later = <T>(fn: () => T): Promise<T> => new Promise((resolve) => resolve(fn()));
