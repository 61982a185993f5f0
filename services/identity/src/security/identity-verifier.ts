import { createTokenVerifier, PLATFORM_AUDIENCE, type Principal, type TokenVerifier } from '@medspa/auth';
import { errors, isAppError } from '@medspa/errors';
import type { SigningKeySet } from './signing-keys.js';

/**
 * The audience of enrolment-only tokens, given to staff who signed in with a password but have no
 * second factor yet. Every other service verifies `aud = medspa` and refuses them
 * (TOKEN_WRONG_AUDIENCE), so such a token can never reach PHI; here they open the enrolment calls only.
 */
export const ENROLMENT_AUDIENCE = 'medspa.identity.mfa-enrolment';

export interface IdentityTokenVerifier extends TokenVerifier {
  /** True for a principal that came from an enrolment-only token. */
  isEnrolmentOnly(principal: Principal): boolean;
}

/**
 * Identity's own verifier, over its own key set (no JWKS round trip): full platform tokens, and
 * enrolment-only tokens marked as such. Principals are marked by identity, not by a claim, so a
 * handler cannot be fooled by a token that merely looks like one kind or the other.
 */
export function createIdentityTokenVerifier(options: {
  keys: SigningKeySet;
  issuer: string;
  now: () => Date;
}): IdentityTokenVerifier {
  const getJwks = () => options.keys.jwks(options.now());
  const now = () => options.now().getTime();
  const platform = createTokenVerifier({ getJwks, issuer: options.issuer, audience: PLATFORM_AUDIENCE, now });
  const enrolment = createTokenVerifier({
    getJwks,
    issuer: options.issuer,
    audience: ENROLMENT_AUDIENCE,
    now,
  });
  const enrolmentOnly = new WeakSet<Principal>();
  return {
    async verify(token) {
      try {
        return await platform.verify(token);
      } catch (e) {
        if (!isAppError(e) || e.reason !== 'TOKEN_WRONG_AUDIENCE') throw e;
      }
      const principal = await enrolment.verify(token);
      if (principal.isService)
        throw errors.unauthenticated('TOKEN_CLAIMS_INVALID', 'The access token is invalid');
      enrolmentOnly.add(principal);
      return principal;
    },
    isEnrolmentOnly: (principal) => enrolmentOnly.has(principal),
  };
}
