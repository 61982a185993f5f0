import { createLocalFileKms } from '@medspa/crypto';
import { createPool, schemaNameOf } from '@medspa/db';
import type { IdentityConfig } from '../config.js';
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
  try {
    const keys = createPgSigningKeySet({
      pool,
      schema: schemaNameOf('identity'),
      kms: createLocalFileKms({ dir: config.KMS_LOCAL_DIR }),
      kekId: config.KMS_KEK_ID,
      now: () => new Date(),
    });
    await keys.load();
    await keys.rotate(new Date(), { emergency: options.emergency });
  } finally {
    await pool.end();
  }
}
