import type { Principal } from '@medspa/auth';
import type { FieldCipher, Keyring } from '@medspa/crypto';
import type { Pool } from '@medspa/db';
import type { EventMetadata, EventStore } from '@medspa/eventstore';
import type { Logger } from '@medspa/observability';
import type { AccessTokenIssuer } from '../security/access-token-issuer.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import type { Totp } from '../security/totp.js';

/** Everything the command handlers use; built once by service.ts (or a test). */
export interface IdentityContext {
  pool: Pool;
  schema: string;
  store: EventStore;
  keyring: Keyring;
  fields: FieldCipher;
  hasher: PasswordHasher;
  totp: Totp;
  /** Full access tokens (audience `medspa`). */
  accessTokens: AccessTokenIssuer;
  /** Enrolment-only tokens: accepted by the TOTP enrolment calls here and refused everywhere else. */
  enrolmentTokens: AccessTokenIssuer;
  /** `sub` values of service principals allowed to create tenants. */
  platformAdmins: readonly string[];
  logger: Logger;
  now: () => Date;
}

/** Who caused an event and in which request, as stored with it. */
export interface Actor {
  id: string;
  role: string;
}

/** Metadata for events appended on behalf of `actor` in `tenantId`. */
export const metadataFor = (tenantId: string, actor: Actor, requestId: string): EventMetadata => ({
  tenantId,
  actor,
  correlationId: requestId,
});

/** The actor of a call made with a token. */
export const actorOf = (principal: Principal): Actor => ({ id: principal.userId, role: principal.role });

/** The actor of a public call (sign-in, refresh): the account it concerns, once known. */
export const selfActor = (userId: string, role: string): Actor => ({ id: userId, role });

export const STREAM = {
  tenant: 'tenant',
  user: 'user',
  session: 'session',
  breakGlass: 'break_glass',
} as const;

/** One break-glass stream per session, beside (not in) the session's own stream. */
export const breakGlassStreamId = (sessionId: string): string => `break-glass-${sessionId}`;
