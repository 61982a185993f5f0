import { IdentityServiceService } from '@medspa/contracts/medspa.identity.v1';
import type { GrpcServer } from '@medspa/grpc';
import type { IdentityContext } from '../../app/context.js';
import type { IdentityTokenVerifier } from '../../security/identity-verifier.js';
import type { SigningKeySet } from '../../security/signing-keys.js';
import { accountHandlers } from './accounts.js';
import { principalGuard } from './principals.js';
import { sessionHandlers } from './sessions.js';
import { signInHandlers } from './sign-in.js';

/** The calls a person makes before holding an access token (and the public keys). */
export const PUBLIC_METHODS = ['signIn', 'verifyMfa', 'refresh', 'getJwks'] as const;

/** Registers IdentityService on the server. */
export function addIdentityService(
  server: GrpcServer,
  app: IdentityContext,
  verifier: IdentityTokenVerifier,
  keys: SigningKeySet,
): void {
  const guard = principalGuard(verifier);
  server.addService(
    IdentityServiceService,
    {
      ...accountHandlers(app, guard),
      ...signInHandlers(app, guard),
      ...sessionHandlers(app, guard, keys),
    },
    { publicMethods: PUBLIC_METHODS },
  );
}
