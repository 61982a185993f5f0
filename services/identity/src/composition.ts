import {
  createFieldCipher,
  createKeyring,
  createLocalFileKms,
  createPgKeyStore,
  type Kms,
} from '@medspa/crypto';
import { createPool, schemaNameOf } from '@medspa/db';
import { createEventStore } from '@medspa/eventstore';
import { createOutboxMapper } from '@medspa/messaging';
import { createLogger, type Logger } from '@medspa/observability';
import { identityIntegrationEvent } from './adapters/integration-events.js';
import type { IdentityContext } from './app/context.js';
import type { IdentityConfig } from './config.js';
import type { IdentityEvent } from './domain/audit-severity.js';
import { createAccessTokenIssuer } from './security/access-token-issuer.js';
import { ENROLMENT_AUDIENCE } from './security/identity-verifier.js';
import { createPasswordHasher, type PasswordHasher } from './security/password-hasher.js';
import { createPgSigningKeySet, type PersistentSigningKeySet } from './security/pg-signing-keys.js';
import { createTotp } from './security/totp.js';

export const SERVICE = 'identity';

/** What tests (and only tests) swap: the clock, the KMS, the log destination, the hasher. */
export interface CompositionDeps {
  now?: () => Date;
  kms?: Kms;
  logger?: Logger;
  hasher?: PasswordHasher;
}

/**
 * The command handlers' context over one pool: event store with the outbox mapping, keyring, field
 * cipher, persisted signing keys (loaded), hasher, TOTP and token issuers. Shared by the server and
 * the one-shot commands; the caller ends `app.pool`.
 */
export async function composeIdentity(
  config: IdentityConfig,
  deps: CompositionDeps = {},
): Promise<{ app: IdentityContext; keys: PersistentSigningKeySet }> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const schema = schemaNameOf(SERVICE);
  const pool = createPool(config.DATABASE_URL, { applicationName: SERVICE, max: config.DATABASE_POOL_MAX });
  const kms = deps.kms ?? createLocalFileKms({ dir: config.KMS_LOCAL_DIR });
  const store = createEventStore(pool, {
    schema,
    now,
    toOutbox: createOutboxMapper<IdentityEvent>({ service: SERVICE, map: identityIntegrationEvent }),
  });
  const keyring = createKeyring({ kms, kekId: config.KMS_KEK_ID, store: createPgKeyStore(pool, schema) });
  const keys = createPgSigningKeySet({ pool, schema, kms, kekId: config.KMS_KEK_ID, now });
  try {
    await keys.load();
  } catch (e) {
    await pool.end();
    throw e;
  }
  const issuer = config.IDENTITY_ISSUER;
  const app: IdentityContext = {
    pool,
    schema,
    store,
    keyring,
    fields: createFieldCipher(keyring),
    hasher: deps.hasher ?? createPasswordHasher(),
    totp: createTotp({ issuer: config.TOTP_ISSUER }),
    accessTokens: createAccessTokenIssuer({ keys, issuer }),
    enrolmentTokens: createAccessTokenIssuer({ keys, issuer, audience: ENROLMENT_AUDIENCE }),
    platformAdmins: config.PLATFORM_ADMIN_SUBJECTS,
    logger,
    now,
  };
  return { app, keys };
}
