import { createTokenVerifier, type TokenVerifier } from '@medspa/auth';
import { IdentityServiceClient } from '@medspa/contracts/medspa.identity.v1';
import { createGrpcClient } from './client.js';

export interface IdentityKeySource {
  TOKEN_ISSUER: string;
  /** The key set over HTTP (the gateway's /.well-known/jwks.json): the embedded default. */
  JWKS_URL?: string | undefined;
  /** Identity's GetJwks over gRPC: mutual TLS when GRPC_TLS_* are set, so the keys cannot be swapped in transit. */
  IDENTITY_GRPC_ADDR?: string | undefined;
}

/**
 * The access-token verifier of a service, against identity's keys from whichever source the
 * config names (libs/config's `tokenVerificationConfig` requires exactly one). `close()` ends the
 * identity channel, if one was opened.
 */
export function identityTokenVerifier(config: IdentityKeySource): {
  verifier: TokenVerifier;
  close: () => void;
} {
  const issuer = config.TOKEN_ISSUER;
  if (config.JWKS_URL !== undefined) {
    return { verifier: createTokenVerifier({ jwksUrl: config.JWKS_URL, issuer }), close: () => undefined };
  }
  if (config.IDENTITY_GRPC_ADDR === undefined) throw new Error('JWKS_URL or IDENTITY_GRPC_ADDR is required');
  // The key set is fetched for the service itself, never with a caller's token.
  const identity = createGrpcClient(IdentityServiceClient, config.IDENTITY_GRPC_ADDR, {
    forwardCallerToken: false,
  });
  const getJwks = async () => ({ keys: (await identity.getJwks({})).keys.map((k) => ({ ...k })) });
  return { verifier: createTokenVerifier({ getJwks, issuer }), close: () => identity.close() };
}
