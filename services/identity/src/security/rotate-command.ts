import { createPool, schemaNameOf } from '@medspa/db';
import type { IdentityConfig } from '../config.js';
import { identityKmsFrom } from './kms.js';
import { createPgSigningKeySet } from './pg-signing-keys.js';

/**
 * `main.ts rotate-signing-key [--emergency]`: promotes the published next key and publishes a new
 * next one. Run it on a schedule (and with --emergency when a key may have leaked: every token the
 * current key signed stops verifying at once). Replicas pick the new ring up within their cache age.
 */
export async function rotateSigningKey(
  config: IdentityConfig,
  options: { emergency: boolean },
): Promise<void> {
  const pool = createPool(config.DATABASE_URL, { applicationName: 'identity-rotate-key', max: 2 });
  const { kms, kekId, close } = identityKmsFrom(config);
  try {
    const keys = createPgSigningKeySet({
      pool,
      schema: schemaNameOf('identity'),
      kms,
      kekId,
      now: () => new Date(),
    });
    await keys.load();
    await keys.rotate(new Date(), { emergency: options.emergency });
  } finally {
    close();
    await pool.end();
  }
}
