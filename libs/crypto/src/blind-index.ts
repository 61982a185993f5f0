import { createHmac, type KeyObject } from 'node:crypto';
import { errors } from '@medspa/errors';
import { lengthPrefixed } from './aes-gcm.js';
import { normaliseDateOfBirth, normaliseEmail, normaliseName, normalisePhone } from './normalise.js';

/*
 * Blind indexes: HMAC-SHA256 under the Tenant's blind-index key of a normalised value, so a
 * service can find "O'Brien" with an equality lookup while the column holds no plaintext.
 *
 * What they leak, to anyone who can read the index but not the key: equality (which rows share a
 * value within one Tenant and field), and therefore frequencies (the commonest surname stands out).
 * Nothing links across Tenants (one key each) or across fields (the field name is in the input).
 * Prefix tokens leak far more: how many tokens a name has reveals its word lengths (up to the
 * cap), and rows sharing short prefixes are visibly similar; a 2-letter prefix has so few values
 * that a single known row maps many tokens. Hence a minimum of 3, a cap, use only on name fields
 * that need type-ahead, and a separate table that can be dropped. Anyone holding the key can
 * brute-force names and birth dates, so the index is only as safe as the key. Tokens are truncated
 * to `bytes` for storage; below ~8 bytes collisions become deliberate false positives, so callers
 * always confirm matches after decrypting.
 */

export interface BlindIndexOptions {
  /** Token length in bytes before base64url (default 16). */
  bytes?: number;
  /** Shortest prefix indexed and accepted in a query (default 3). */
  minPrefix?: number;
  /** Longest prefix indexed; longer queries are cut to it (default 8). */
  maxPrefix?: number;
}

export interface BlindIndex {
  /** Token of an already-normalised value. */
  exact(field: string, normalised: string): string;
  name(field: string, value: string): string;
  /** Tokens for every prefix (min..max) of every word of a name, for type-ahead; deduplicated. */
  namePrefixes(field: string, value: string): string[];
  /** Tokens for what a user typed (one per word long enough); a row must carry all of them. */
  namePrefixQuery(field: string, typed: string): string[];
  phone(field: string, value: string, defaultCallingCode?: string): string;
  dateOfBirth(field: string, value: string): string;
  email(field: string, value: string): string;
}

/** Blind-index functions under one Tenant's key (from `keyring.blindIndexKey`). */
export function createBlindIndex(key: KeyObject, options: BlindIndexOptions = {}): BlindIndex {
  const bytes = options.bytes ?? 16;
  const min = options.minPrefix ?? 3;
  const max = options.maxPrefix ?? 8;
  if (bytes < 4 || bytes > 32 || min < 2 || max < min) {
    throw errors.validation('INVALID_BLIND_INDEX_OPTIONS', 'Blind index options are out of range');
  }
  // Domain separation: an exact token never equals a prefix token of the same text or field.
  const token = (kind: 'exact' | 'prefix', field: string, value: string): string =>
    createHmac('sha256', key)
      .update(lengthPrefixed(kind, field, value))
      .digest()
      .subarray(0, bytes)
      .toString('base64url');
  const exact = (field: string, normalised: string): string => token('exact', field, normalised);
  const words = (value: string): string[] =>
    normaliseName(value)
      .split(' ')
      .filter((w) => w !== '');

  return {
    exact,
    name: (field, value) => exact(field, normaliseName(value)),
    namePrefixes(field, value) {
      const tokens = new Set<string>();
      for (const word of words(value)) {
        const chars = [...word]; // by code point, so a prefix never splits a character
        for (let n = min; n <= Math.min(max, chars.length); n++)
          tokens.add(token('prefix', field, chars.slice(0, n).join('')));
      }
      return [...tokens];
    },
    namePrefixQuery(field, typed) {
      const tokens = words(typed)
        .map((w) => [...w])
        .filter((chars) => chars.length >= min)
        .map((chars) => token('prefix', field, chars.slice(0, max).join('')));
      return [...new Set(tokens)];
    },
    phone: (field, value, defaultCallingCode) => exact(field, normalisePhone(value, defaultCallingCode)),
    dateOfBirth: (field, value) => exact(field, normaliseDateOfBirth(value)),
    email: (field, value) => exact(field, normaliseEmail(value)),
  };
}
