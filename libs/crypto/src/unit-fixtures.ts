import type { Kms } from './kms.js';
import { createInMemoryKms } from './local-keyset.js';

/** An in-memory KMS that counts round trips, to prove caching in tests. */
export function countingKms(inner: Kms = createInMemoryKms()): Kms & { wraps: number; unwraps: number } {
  const counting = {
    wraps: 0,
    unwraps: 0,
    wrap: (...args: Parameters<Kms['wrap']>) => {
      counting.wraps++;
      return inner.wrap(...args);
    },
    unwrap: (...args: Parameters<Kms['unwrap']>) => {
      counting.unwraps++;
      return inner.unwrap(...args);
    },
    currentKeyRef: (keyId: string) => inner.currentKeyRef(keyId),
    rotateKey: (keyId: string) => inner.rotateKey(keyId),
  };
  return counting;
}
