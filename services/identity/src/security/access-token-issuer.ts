import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, type BreakGlass, type UserRole } from '@medspa/auth';
import type { SigningKeySet } from './signing-keys.js';

export interface AccessTokenRequest {
  userId: string;
  tenantId: string;
  role: UserRole;
  sessionId: string;
  breakGlass?: BreakGlass;
  /**
   * 1..900 s. Callers pass `accessTokenTtlSeconds(session, at)` (never past the session's end),
   * lowered further to a break-glass grant's expiry when one is in the token.
   */
  ttlSeconds?: number;
  at: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
  kid: string;
}

export interface AccessTokenIssuer {
  issue(request: AccessTokenRequest): Promise<IssuedAccessToken>;
}

/** Access tokens (EdDSA, `at+jwt`, claims sub/tid/role/sid) signed with the key set's current key. */
export function createAccessTokenIssuer(options: {
  keys: SigningKeySet;
  issuer: string;
  audience?: string;
}): AccessTokenIssuer {
  return {
    async issue(request) {
      const { kid, privateKey } = await options.keys.signingKey();
      const ttlSeconds = request.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
      const token = await signAccessToken(privateKey, {
        kid,
        issuer: options.issuer,
        ...(options.audience === undefined ? {} : { audience: options.audience }),
        subject: request.userId,
        tenantId: request.tenantId,
        role: request.role,
        sessionId: request.sessionId,
        ...(request.breakGlass === undefined ? {} : { breakGlass: request.breakGlass }),
        ttlSeconds,
        issuedAt: request.at,
      });
      // signAccessToken truncates iat to whole seconds; expiry is counted from there.
      const expiresAt = new Date((Math.floor(request.at.getTime() / 1000) + ttlSeconds) * 1000);
      return { token, expiresAt, kid };
    },
  };
}
