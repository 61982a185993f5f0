import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  generateKeySync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { ciphertextInvalid } from './crypto-errors.js';

export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/** A fresh random 256-bit AES key, made as a KeyObject: it never sits in a loggable Buffer. */
export const generateAesKey = (): KeyObject => generateKeySync('aes', { length: KEY_BYTES * 8 });

/** Turns unwrapped key bytes into a KeyObject and wipes the bytes. */
export function toAesKey(raw: Buffer): KeyObject {
  try {
    if (raw.length !== KEY_BYTES) throw ciphertextInvalid('Unwrapped key has the wrong length');
    return createSecretKey(raw);
  } finally {
    raw.fill(0);
  }
}

/** The raw bytes of a key, only for wrapping it; the caller wipes them. */
export const exportAesKey = (key: KeyObject): Buffer => key.export();

// IVs are cut from a buffer of CSPRNG output, each 12-byte slice handed out once (Node buffers its
// randomUUID the same way): one randomBytes call cost more than sealing a short field (~25 µs
// each, the largest part of a registration's encryption). A refill is a new buffer, so a slice
// handed out earlier is never overwritten.
const IVS_PER_REFILL = 256;
let ivPool = Buffer.alloc(0);
let ivAt = 0;

/** A fresh random 96-bit IV, never handed out before. */
export function freshIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IVS_PER_REFILL);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/**
 * AES-256-GCM: returns `prefix` ‖ iv ‖ ciphertext ‖ tag with a fresh random 96-bit IV, written once
 * into one buffer (a field's header goes in front of what it seals without another copy).
 */
export function seal(
  key: KeyObject,
  plaintext: Uint8Array | string,
  aad: Uint8Array,
  prefix?: Uint8Array,
): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  const final = cipher.final();
  const tag = cipher.getAuthTag();
  const at = prefix?.length ?? 0;
  const sealed = Buffer.allocUnsafe(at + IV_BYTES + body.length + final.length + TAG_BYTES);
  if (prefix !== undefined) sealed.set(prefix, 0);
  sealed.set(iv, at);
  sealed.set(body, at + IV_BYTES);
  sealed.set(final, at + IV_BYTES + body.length);
  sealed.set(tag, sealed.length - TAG_BYTES);
  return sealed;
}

/** Opens iv ‖ ciphertext ‖ tag; any tampering or a wrong key/AAD throws CIPHERTEXT_INVALID. */
export function open(key: KeyObject, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw ciphertextInvalid('Ciphertext is too short');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (e) {
    throw ciphertextInvalid('Ciphertext failed authentication', e);
  }
}

/** Length-prefixed concatenation, so that ('ab','c') and ('a','bc') give different AAD. */
export function lengthPrefixed(...parts: (string | Uint8Array)[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    chunks.push(len, bytes);
  }
  return Buffer.concat(chunks);
}
