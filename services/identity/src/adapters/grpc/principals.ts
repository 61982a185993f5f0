import type { Principal } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { CallContext } from '@medspa/grpc';
import type { IdentityTokenVerifier } from '../../security/identity-verifier.js';

/** How handlers tell a full sign-in from an enrolment-only one. */
export interface PrincipalGuard {
  /** The caller with a complete sign-in; MFA_ENROLMENT_REQUIRED for an enrolment-only token. */
  full(call: CallContext): Principal;
  /** Any signed-in person (enrolment-only included), never a service. */
  person(call: CallContext): Principal;
}

export function principalGuard(verifier: IdentityTokenVerifier): PrincipalGuard {
  const person = (call: CallContext): Principal => {
    const principal = call.principal;
    if (principal.isService) throw errors.forbidden('PERMISSION_DENIED', 'Only a person may do this');
    return principal;
  };
  return {
    full(call) {
      const principal = call.principal;
      if (verifier.isEnrolmentOnly(principal)) {
        throw errors.forbidden('MFA_ENROLMENT_REQUIRED', 'Enrol a second factor first');
      }
      return principal;
    },
    person,
  };
}
