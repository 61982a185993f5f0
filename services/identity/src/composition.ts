import { createFieldCipher, createKeyring, createPgKeyStore, type Kms } from '@medspa/crypto';
import { createPool, schemaNameOf } from '@medspa/db';
import { createEventStore } from '@medspa/eventstore';
import { createOutboxMapper } from '@medspa/messaging';
import { createLogger, type Logger } from '@medspa/observability';
import { identityIntegrationEvent } from './adapters/integration-events.js';
import type { IdentityContext } from './app/context.js';
import type { IdentityConfig } from './config.js';
import type { IdentityEvent } from './domain/audit-severity.js';
import { createAccessTokenIssuer } from './security/access-token-issuer.js';
import { identityKmsFrom } from './security/kms.js';
import { ENROLMENT_AUDIENCE } from './security/identity-verifier.js';
import { createPasswordHasher, type PasswordHasher } from './security/password-hasher.js';
import { createPgSigningKeySet, type PersistentSigningKeySet } from './security/pg-signing-keys.js';
import { createTotp } from './security/totp.js';

export const SERVICE = 'identity';

/** What tests (and only tests) swap: the clock, the KMS, the log destination, the hasher. */
export interface CompositionDeps {
  now?: () => Date;
  /** Used with KMS_KEK_ID as the KEK id instead of the KMS the config selects. */
  kms?: Kms;
  logger?: Logger;
  hasher?: PasswordHasher;
}

/**
 * The command handlers' context over one pool: event store with the outbox mapping, keyring, field
 * cipher, persisted signing keys (loaded), hasher, TOTP and token issuers. Shared by the server and
 * the one-shot commands; the caller calls `close()` (pool and KMS client) when done.
 */
export async function composeIdentity(
  config: IdentityConfig,
  deps: CompositionDeps = {},
): Promise<{ app: IdentityContext; keys: PersistentSigningKeySet; close: () => Promise<void> }> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const schema = schemaNameOf(SERVICE);
  const pool = createPool(config.DATABASE_URL, { applicationName: SERVICE, max: config.DATABASE_POOL_MAX });
  const {
    kms,
    kekId,
    close: closeKms,
  } = deps.kms === undefined
    ? identityKmsFrom(config)
    : { kms: deps.kms, kekId: config.KMS_KEK_ID, close: () => {} };
  const close = async (): Promise<void> => {
    try {
      await pool.end();
    } finally {
      closeKms();
    }
  };
  const store = createEventStore(pool, {
    schema,
    now,
    toOutbox: createOutboxMapper<IdentityEvent>({ service: SERVICE, map: identityIntegrationEvent }),
  });
  const keyring = createKeyring({ kms, kekId, store: createPgKeyStore(pool, schema) });
  const keys = createPgSigningKeySet({ pool, schema, kms, kekId, now });
  try {
    await keys.load();
  } catch (e) {
    await close();
    throw e;
  }
  const issuer = config.IDENTITY_ISSUER;
  const app: IdentityContext = {
    pool,
    schema,
    store,
    keyring,
    fields: createFieldCipher(keyring),
    hasher:
      deps.hasher ??
      createPasswordHasher(
        undefined,
        config.ARGON2_LANES === undefined ? {} : { lanes: config.ARGON2_LANES },
      ),
    totp: createTotp({ issuer: config.TOTP_ISSUER }),
    accessTokens: createAccessTokenIssuer({ keys, issuer }),
    enrolmentTokens: createAccessTokenIssuer({ keys, issuer, audience: ENROLMENT_AUDIENCE }),
    platformAdmins: config.PLATFORM_ADMIN_SUBJECTS,
    logger,
    now,
  };
  return { app, keys, close };
}
