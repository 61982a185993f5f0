import { IV_BYTES, TAG_BYTES } from './aes-gcm.js';
import { ciphertextInvalid } from './crypto-errors.js';
import { bytesToUuid, uuidToBytes } from './ids.js';

/**
 * Field ciphertext, format v1, as text: `phi:` + base64url of
 *
 *   [0]      format version (0x01)
 *   [1..16]  subject (Patient) id, the 16 bytes of its UUID  ┐ key reference:
 *   [17..20] DEK version, uint32 big-endian                  ┘ which data key sealed it
 *   [21..32] 12-byte random IV                               ┐ AES-256-GCM
 *   [..-16]  ciphertext                                      │
 *   [-16..]  16-byte tag                                     ┘
 *
 * The header (bytes 0..20) and tenant id and field name are the GCM additional data, so a
 * ciphertext copied to another field, Patient or Tenant, or with an edited header, fails to open.
 * The version byte lets a future format coexist with old events, which are never rewritten.
 */
export const FIELD_CIPHERTEXT_PREFIX = 'phi:';
export const FORMAT_V1 = 0x01;
export const HEADER_BYTES = 1 + 16 + 4;

export interface FieldCiphertext {
  subjectId: string;
  dekVersion: number;
  /** The header bytes, authenticated as part of the AAD. */
  header: Buffer;
  /** iv ‖ ciphertext ‖ tag. */
  sealed: Buffer;
}

/** The v1 header for a subject and DEK version. */
export function fieldHeader(subjectId: string, dekVersion: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = FORMAT_V1;
  uuidToBytes(subjectId).copy(header, 1);
  header.writeUInt32BE(dekVersion, 17);
  return header;
}

/** Header and sealed bytes as the text stored in events and read models. */
export function encodeFieldCiphertext(header: Buffer, sealed: Buffer): string {
  return fieldCiphertextText(Buffer.concat([header, sealed]));
}

/** Header ‖ sealed bytes, already in one buffer, as the text stored. */
export const fieldCiphertextText = (bytes: Buffer): string =>
  FIELD_CIPHERTEXT_PREFIX + bytes.toString('base64url');

/** True when a value looks like a field ciphertext (for guards that PHI is never stored in clear). */
export const isFieldCiphertext = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(FIELD_CIPHERTEXT_PREFIX);

/** Parses the text form; throws CIPHERTEXT_INVALID for anything that is not a v1 ciphertext. */
export function decodeFieldCiphertext(text: string): FieldCiphertext {
  if (!isFieldCiphertext(text)) throw ciphertextInvalid('Not a field ciphertext');
  const body = text.slice(FIELD_CIPHERTEXT_PREFIX.length);
  // Buffer.from silently skips bad characters and ignores spare bits: only the one canonical
  // spelling of the bytes is accepted (checked without re-encoding them: a chart opens ~400 fields).
  if (!isCanonicalBase64url(body)) throw ciphertextInvalid('Field ciphertext is not base64url');
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) {
    throw ciphertextInvalid('Field ciphertext is too short');
  }
  if (bytes[0] !== FORMAT_V1) throw ciphertextInvalid('Unknown field ciphertext version');
  return {
    subjectId: bytesToUuid(bytes.subarray(1, 17)),
    dekVersion: bytes.readUInt32BE(17),
    header: bytes.subarray(0, HEADER_BYTES),
    sealed: bytes.subarray(HEADER_BYTES),
  };
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Unpadded base64url whose last character carries no stray bits, as `toString('base64url')` writes it. */
function isCanonicalBase64url(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL.test(text)) return false;
  if (tail === 0) return true;
  // 2 characters carry 1 byte (4 spare bits), 3 carry 2 bytes (2 spare bits): those must be zero.
  const last = ALPHABET.indexOf(text[text.length - 1]!);
  return last % (tail === 2 ? 16 : 4) === 0;
}
