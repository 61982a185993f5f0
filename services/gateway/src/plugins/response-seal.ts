import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts stored responses (AES-256-GCM) and fingerprints requests (HMAC-SHA256). Both can hold
 * PHI and Redis sits outside the PHI boundary's encryption, so neither is kept in clear or as a
 * plain hash (a bare SHA-256 of a body with a date of birth can be guessed).
 */
export interface ResponseSeal {
  /** Ciphertext bound to `context` (the Redis key), so it cannot be replayed under another key. */
  seal(plain: Buffer, context: string): string;
  /** Throws when the text was not sealed with this key and context. */
  open(sealed: string, context: string): Buffer;
  /** A keyed digest of `data`, safe to store. */
  digest(data: string): string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1.';

const subkey = (secret: Buffer, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `medspa.gateway.${purpose}`, 32));

/** A seal from a 32-byte secret; separate keys for encryption and digests are derived with HKDF. */
export function createResponseSeal(secret: Buffer): ResponseSeal {
  if (secret.length !== 32) throw new RangeError('The idempotency seal key must be 32 bytes');
  const encryptionKey = subkey(secret, 'idempotency.seal');
  const digestKey = subkey(secret, 'idempotency.digest');
  return {
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed, context) {
      if (!sealed.startsWith(VERSION)) throw new Error('Unknown seal version');
      const bytes = Buffer.from(sealed.slice(VERSION.length), 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    },
    digest: (data) => createHmac('sha256', digestKey).update(data).digest('base64url'),
  };
}
