import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { signAccessToken, type Role } from '@medspa/auth';

export const ISSUER = 'https://identity.bench.medspa.local';

export interface BenchIssuer {
  publicJwk: JWK;
  /** A token for a user of `role` in `tenantId`, re-minted before the 15-minute lifetime ends. */
  tokenFor(tenantId: string, role: Role): () => Promise<string>;
}

/** An Ed25519 key of the benchmark's own, as identity would hold it; the service trusts its JWK. */
export async function createBenchIssuer(): Promise<BenchIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  return {
    publicJwk,
    tokenFor(tenantId, role) {
      const subject = randomUUID();
      let token: { value: string; at: number } | undefined;
      return async () => {
        if (token === undefined || Date.now() - token.at > 10 * 60_000) {
          const value = await signAccessToken(privateKey, {
            kid,
            issuer: ISSUER,
            subject,
            tenantId,
            role,
            sessionId: randomUUID(),
          });
          token = { value, at: Date.now() };
        }
        return token.value;
      };
    },
  };
}
