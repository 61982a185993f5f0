import { createFieldCipher, type FieldCipher } from './field-cipher.js';
import type { KeyCacheOptions } from './keyring-core.js';
import { createKeyring, type Keyring } from './keyring.js';
import type { Kms } from './kms.js';
import { createInMemoryKms } from './local-keyset.js';
import { createMemoryKeyStore, type MemoryTx } from './memory-key-store.js';

export interface InMemoryCrypto {
  kms: Kms;
  keyring: Keyring<MemoryTx>;
  fields: FieldCipher;
}

/** A complete keyring and field cipher in memory, for unit tests of services' handlers. */
export function createInMemoryCrypto(
  options: { kms?: Kms; kekId?: string; cache?: KeyCacheOptions } = {},
): InMemoryCrypto {
  const kms = options.kms ?? createInMemoryKms();
  const kekId = options.kekId ?? 'test-kek';
  const keyring = createKeyring({ kms, kekId, store: createMemoryKeyStore(), cache: options.cache });
  return { kms, keyring, fields: createFieldCipher(keyring) };
}
