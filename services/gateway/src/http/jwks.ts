import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JwksSource } from '../identity/jwks.js';

export interface JwksRouteDeps {
  jwks: JwksSource;
  /** How long clients (the services' verifiers) may cache the set, in seconds. */
  maxAgeSeconds: number;
}

// RFC 7517 key set of identity's Ed25519 (OKP) public keys: next, current and recently retired.
const JwkSet = z.object({
  keys: z.array(
    z.object({
      kty: z.string(),
      crv: z.string(),
      x: z.string(),
      kid: z.string(),
      alg: z.string(),
      use: z.string(),
    }),
  ),
});

/** `GET /.well-known/jwks.json`: the public keys every service verifies access tokens with. */
export const jwksRoutes =
  (deps: JwksRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/.well-known/jwks.json',
      { schema: { hide: true, response: { 200: JwkSet } } },
      async (_request, reply) => {
        const { keys } = await deps.jwks.getJwks();
        // Public keys: a short shared cache is fine (the security headers default to no-store).
        void reply.header('cache-control', `public, max-age=${deps.maxAgeSeconds}`);
        void reply.header('content-type', 'application/jwk-set+json');
        return { keys };
      },
    );
  };
