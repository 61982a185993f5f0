export * from './aws-kms.js';
export * from './blind-index.js';
export * from './crypto-errors.js';
export * from './field-cipher.js';
export {
  decodeFieldCiphertext,
  encodeFieldCiphertext,
  FIELD_CIPHERTEXT_PREFIX,
  isFieldCiphertext,
  type FieldCiphertext,
} from './field-ciphertext.js';
export * from './key-store.js';
export * from './key-tables-sql.js';
export * from './keyring.js';
export type {
  KeyCacheOptions,
  KeyringOptions,
  SubjectKeyOptions,
  SubjectKeys,
  TenantKeys,
} from './keyring-core.js';
export * from './kms.js';
export * from './local-file-kms.js';
export { createInMemoryKms } from './local-keyset.js';
export * from './memory-key-store.js';
export * from './normalise.js';
export { cryptoKeyOfferSql } from './pg-key-offer.js';
export * from './pg-key-store.js';
export type { SubjectKeyOffer } from './writer-keys.js';
export type { KekRewrapResult, TenantKeyRotationResult } from './rotation.js';
export type { ShredListener, SubjectKeysShredded, TenantKeysShredded } from './shredding.js';
export * from './in-memory-crypto.js';
