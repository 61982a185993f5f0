import { randomUUID } from 'node:crypto';
import { SERVICE_SUBJECT_PREFIX } from './claims.js';
import { signAccessToken, type SigningKey } from './sign.js';

export interface ServiceTokenSignerOptions {
  /** e.g. `notification`; the token's subject becomes `svc:notification`. */
  serviceName: string;
  privateKey: SigningKey;
  /** Key id under which the public key is published in the platform JWKS. */
  kid: string;
  issuer: string;
  audience?: string;
  /** Token lifetime, at most 15 minutes. Default 5 minutes. */
  ttlSeconds?: number;
  now?: () => number;
}

/** Mints tokens for a service's own background work, one tenant at a time. */
export interface ServiceTokenSigner {
  readonly subject: string;
  /** A token for work in `tenantId`, reused until a minute before it expires. */
  tokenFor(tenantId: string): Promise<string>;
}

/**
 * Service tokens for work no user asked for right now (reminders, retries, webhooks). They carry
 * a tenant like any token, because the tenant comes only from `tid`. Work done on a user's
 * behalf must forward that user's token instead, so permissions and audit name the person.
 */
export function createServiceTokenSigner(options: ServiceTokenSignerOptions): ServiceTokenSigner {
  if (!/^[a-z][a-z0-9-]*$/.test(options.serviceName)) {
    throw new RangeError('serviceName must be lower-case letters, digits and dashes');
  }
  const subject = `${SERVICE_SUBJECT_PREFIX}${options.serviceName}`;
  const ttlSeconds = options.ttlSeconds ?? 300;
  const now = options.now ?? Date.now;
  // One session per process: audit can tell two replicas (or two restarts) apart.
  const sessionId = `svc-${randomUUID()}`;
  const cache = new Map<string, { token: Promise<string>; renewAt: number }>();

  return {
    subject,
    tokenFor(tenantId) {
      const t = now();
      const hit = cache.get(tenantId);
      if (hit !== undefined && t < hit.renewAt) return hit.token;
      const token = signAccessToken(options.privateKey, {
        kid: options.kid,
        issuer: options.issuer,
        ...(options.audience === undefined ? {} : { audience: options.audience }),
        subject,
        tenantId,
        role: 'service',
        sessionId,
        ttlSeconds,
        issuedAt: new Date(t),
      });
      cache.set(tenantId, { token, renewAt: t + Math.max(ttlSeconds - 60, ttlSeconds / 2) * 1000 });
      // A failed signing must not be cached; the caller still sees the rejection.
      void token.catch(() => cache.delete(tenantId));
      return token;
    },
  };
}
