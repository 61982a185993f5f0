import { errors } from '@medspa/errors';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The lower-case form of a UUID (the platform's ids are UUIDv7); throws a validation error otherwise.
 * Ids go into AAD, so 'ABC…' and 'abc…' must not be two different bindings.
 */
export function canonicalUuid(id: string, name: string): string {
  if (!UUID.test(id)) throw errors.validation('INVALID_ID', `${name} must be a UUID`);
  return id.toLowerCase();
}

/** The 16 bytes of a UUID; the caller has validated it. */
export function uuidToBytes(id: string): Buffer {
  return Buffer.from(id.replaceAll('-', ''), 'hex');
}

/** The canonical lower-case text form of 16 UUID bytes. */
export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
