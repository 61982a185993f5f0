import { createBlindIndex, type BlindIndex, type Keyring } from '@medspa/crypto';
import { normaliseName } from '@medspa/crypto';
import type { PersonName } from '../../domain/index.js';

/** Field names bound into the directory's ciphertexts (AAD), apart from the events' own. */
export const directoryField = {
  name: 'directory.name',
  dateOfBirth: 'directory.dateOfBirth',
  phone: 'directory.phone',
} as const;

/** Field names of the blind-index tokens (the HMAC input), one per searchable field. */
export const indexField = {
  name: 'patient.name',
  phone: 'patient.phone',
  dateOfBirth: 'patient.dateOfBirth',
} as const;

export type SearchKind = 'name_prefix' | 'phone' | 'date_of_birth';

/** Every word a patient may be looked up by: given, family and preferred names. */
export const searchableName = (name: PersonName): string =>
  [...name.given, name.family, name.preferred ?? ''].filter((w) => w !== '').join(' ');

/** True when every typed word starts some word of the name (confirms a blind-index hit). */
export function nameMatches(name: PersonName, typed: string): boolean {
  const words = normaliseName(searchableName(name)).split(' ');
  return normaliseName(typed)
    .split(' ')
    .filter((w) => w.length >= 3)
    .every((t) => words.some((w) => w.startsWith(t.slice(0, 8))));
}

/** The tenant's blind index (its HMAC key is cached by the keyring). */
export async function blindIndexFor(
  keyring: Pick<Keyring, 'blindIndexKey'>,
  tenantId: string,
): Promise<BlindIndex> {
  return createBlindIndex(await keyring.blindIndexKey(tenantId));
}
