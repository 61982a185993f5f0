import type { KeyObject } from 'node:crypto';
import { errors } from '@medspa/errors';
import { lengthPrefixed, open, seal } from './aes-gcm.js';
import { ciphertextInvalid } from './crypto-errors.js';
import { decodeFieldCiphertext, fieldCiphertextText, fieldHeader } from './field-ciphertext.js';
import { canonicalUuid } from './ids.js';
import type { Keyring } from './keyring.js';
import type { SubjectKeys } from './keyring-core.js';

/**
 * Where a PHI value belongs. `field` is the logical field (`patient.lastName`, `encounter.note`),
 * the same in events and read models, so a read model can copy a ciphertext verbatim.
 */
export interface FieldContext {
  tenantId: string;
  subjectId: string;
  field: string;
}

/** A Patient's fields, with keys already unwrapped: synchronous, for decrypting a whole chart. */
export interface SubjectCipher {
  encrypt(field: string, plaintext: string): string;
  decrypt(field: string, ciphertext: string): string;
}

export interface FieldCipher {
  /** Encrypts one PHI value; creates the Patient's data key on first use. */
  encrypt(context: FieldContext, plaintext: string): Promise<string>;
  /** Decrypts one field; throws KEY_SHREDDED for an erased Patient, CIPHERTEXT_INVALID if tampered. */
  decrypt(context: FieldContext, ciphertext: string): Promise<string>;
  /** Unwraps the Patient's keys once for many fields; `create` for writers of a new Patient. */
  forSubject(tenantId: string, subjectId: string, options?: { create?: boolean }): Promise<SubjectCipher>;
  /**
   * Reads many Patients' keys in one query ahead of their `forSubject` calls (a page of search
   * results); reports nothing itself: each `forSubject` still throws what it would have. With
   * `create` (a bulk import) the missing keys are made in one transaction, and it rejects as
   * `forSubject(..., { create: true })` would.
   */
  preload(tenantId: string, subjectIds: readonly string[], options?: { create?: boolean }): Promise<void>;
}

/** A Patient's fields over keys the caller holds (e.g. from `Keyring.writeWithSubjectKeys`). */
export const subjectCipher = (keys: SubjectKeys): SubjectCipher => ({
  encrypt: (field, plaintext) => {
    const current = keys.current;
    if (current === undefined) throw errors.precondition('KEY_NOT_FOUND', 'The patient has no data key');
    return sealField(current.key, keys.tenantId, headerOf(keys, current.version), field, plaintext);
  },
  decrypt: (field, ciphertext) => {
    const parsed = parse(keys.subjectId, ciphertext);
    const key = keys.byVersion.get(parsed.dekVersion);
    if (key === undefined) {
      throw ciphertextInvalid('Ciphertext names a data key version that does not exist');
    }
    return openField(key, keys.tenantId, field, parsed);
  },
});

/** Field-level AES-256-GCM over a keyring: one key unwrap per Patient, none per field. */
export function createFieldCipher(
  keyring: Pick<Keyring, 'subjectKeys'> & Partial<Pick<Keyring, 'preloadSubjectKeys' | 'createSubjectKeys'>>,
): FieldCipher {
  return {
    async encrypt(context, plaintext) {
      const keys = await keyring.subjectKeys(context.tenantId, context.subjectId, { create: true });
      return subjectCipher(keys).encrypt(context.field, plaintext);
    },
    async decrypt(context, ciphertext) {
      const parsed = parse(canonicalUuid(context.subjectId, 'subjectId'), ciphertext);
      let keys = await keyring.subjectKeys(context.tenantId, context.subjectId);
      // A newer data key version written by another replica since we cached: reload once.
      if (!keys.byVersion.has(parsed.dekVersion)) {
        keys = await keyring.subjectKeys(context.tenantId, context.subjectId, { reload: true });
      }
      return subjectCipher(keys).decrypt(context.field, ciphertext);
    },
    async preload(tenantId, subjectIds, options = {}) {
      if (options.create !== true) return keyring.preloadSubjectKeys?.(tenantId, subjectIds);
      if (keyring.createSubjectKeys !== undefined) return keyring.createSubjectKeys(tenantId, subjectIds);
      await Promise.all(subjectIds.map((id) => keyring.subjectKeys(tenantId, id, { create: true })));
    },
    async forSubject(tenantId, subjectId, options = {}) {
      return subjectCipher(
        await keyring.subjectKeys(tenantId, subjectId, { create: options.create ?? false }),
      );
    },
  };
}

type Parsed = ReturnType<typeof decodeFieldCiphertext>;

function parse(subjectId: string, ciphertext: string): Parsed {
  const parsed = decodeFieldCiphertext(ciphertext);
  // The header names the key; it must be this Patient's, or another Patient's key would open it.
  if (parsed.subjectId !== subjectId) throw ciphertextInvalid('Ciphertext belongs to another subject');
  return parsed;
}

// The (tenant, field) part of the AAD, kept: a chart reuses a handful of field names ~400 times.
// Bounded by dropping it all when full: rebuilding one is cheap, only doing it per field is not.
const aadTails = new Map<string, Buffer>();
const AAD_TAILS_MAX = 4096;

const fieldAad = (header: Buffer, tenantId: string, field: string): Buffer => {
  if (field === '') throw errors.validation('INVALID_FIELD', 'A field name is required');
  const at = `${tenantId}|${field}`;
  let tail = aadTails.get(at);
  if (tail === undefined) {
    if (aadTails.size >= AAD_TAILS_MAX) aadTails.clear();
    tail = lengthPrefixed(tenantId, field);
    aadTails.set(at, tail);
  }
  return Buffer.concat([header, tail], header.length + tail.length);
};

// The header of a Patient's current key, made once per unwrapped key set rather than per field.
const headers = new WeakMap<SubjectKeys, { version: number; header: Buffer }>();
function headerOf(keys: SubjectKeys, version: number): Buffer {
  let made = headers.get(keys);
  if (made?.version !== version) {
    made = { version, header: fieldHeader(keys.subjectId, version) };
    headers.set(keys, made);
  }
  return made.header;
}

function sealField(
  key: KeyObject,
  tenantId: string,
  header: Buffer,
  field: string,
  plaintext: string,
): string {
  // Random 96-bit IVs are safe far beyond any one Patient's field count (the GCM limit is ~2^32 per key).
  return fieldCiphertextText(seal(key, plaintext, fieldAad(header, tenantId, field), header));
}

function openField(key: KeyObject, tenantId: string, field: string, parsed: Parsed): string {
  return open(key, parsed.sealed, fieldAad(parsed.header, tenantId, field)).toString('utf8');
}
