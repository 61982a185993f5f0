import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  PLATFORM_AUDIENCE,
  SIGNING_ALGORITHM,
  signAccessToken,
  type BreakGlass,
  type Role,
  type TokenVerifierOptions,
} from '@medspa/auth';

export interface TestTokenInput {
  /** Defaults to a fresh UUID; for a service use `svc:<name>` with role `service`. */
  userId?: string;
  /** Defaults to a fresh UUID: each test makes its own tenant. */
  tenantId?: string;
  /** Defaults to `provider`. */
  role?: Role;
  sessionId?: string;
  breakGlass?: BreakGlass;
  /**
   * Seconds from now, at most 900 (the default). Negative mints a token that expired that long
   * ago; keep it beyond the verifier's 5 s clock tolerance, e.g. -60.
   */
  expiresIn?: number;
  /** Override to mint a token for another platform (wrong-audience tests). */
  audience?: string;
  /** Override to mint a token from another issuer. */
  issuer?: string;
}

export interface JwksServer {
  /** e.g. `http://127.0.0.1:41234/.well-known/jwks.json` */
  url: string;
  /** How many times the JWKS was fetched (rate-limit tests). */
  requests(): number;
  close(): Promise<void>;
}

export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** The current key id; changes on rotateKey(). */
  readonly kid: string;
  /** Public keys, current and rotated-out (as identity would publish them). */
  readonly jwks: JSONWebKeySet;
  /** The current private key, e.g. for createServiceTokenSigner. */
  readonly privateKey: CryptoKey;
  /** Signs an access token; the defaults make a valid provider token in a fresh tenant. */
  sign(input?: TestTokenInput): Promise<string>;
  /** Starts signing with a fresh key (new kid) and publishes it beside the old ones. */
  rotateKey(): Promise<void>;
  /** Options for createTokenVerifier that read this issuer's JWKS in process. */
  verifierOptions(): TokenVerifierOptions;
  /** Serves the JWKS over HTTP on 127.0.0.1, for tests that exercise `jwksUrl`. */
  serveJwks(): Promise<JwksServer>;
}

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const newKeyPair = async (): Promise<KeyPair> => {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519' });
  const kid = `test-${randomUUID()}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, privateKey, publicJwk };
};

/**
 * A stand-in for the identity service in tests: an Ed25519 key pair made at run time (no key is
 * ever committed), a JWKS, and a signer for tokens with any claims a test needs.
 */
export async function createTestIssuer(
  options: { issuer?: string; audience?: string } = {},
): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'https://identity.test.medspa.local';
  const audience = options.audience ?? PLATFORM_AUDIENCE;
  let current = await newKeyPair();
  const publicKeys: JWK[] = [current.publicJwk];
  const jwks = (): JSONWebKeySet => ({ keys: publicKeys.map((k) => ({ ...k })) });

  return {
    issuer,
    audience,
    get kid() {
      return current.kid;
    },
    get jwks() {
      return jwks();
    },
    get privateKey() {
      return current.privateKey;
    },
    async sign(input = {}) {
      const expiresIn = input.expiresIn ?? ACCESS_TOKEN_TTL_SECONDS;
      if (expiresIn > ACCESS_TOKEN_TTL_SECONDS) throw new RangeError('expiresIn is at most 900 seconds');
      // An expired token is a valid one issued long enough ago, so `iat` and `exp` stay consistent.
      const ttlSeconds = expiresIn > 0 ? expiresIn : 60;
      const issuedAt = new Date(Date.now() + (expiresIn > 0 ? 0 : (expiresIn - 60) * 1000));
      return signAccessToken(current.privateKey, {
        kid: current.kid,
        issuer: input.issuer ?? issuer,
        audience: input.audience ?? audience,
        subject: input.userId ?? randomUUID(),
        tenantId: input.tenantId ?? randomUUID(),
        role: input.role ?? 'provider',
        sessionId: input.sessionId ?? randomUUID(),
        ...(input.breakGlass === undefined ? {} : { breakGlass: input.breakGlass }),
        ttlSeconds,
        issuedAt,
      });
    },
    async rotateKey() {
      current = await newKeyPair();
      publicKeys.push(current.publicJwk);
    },
    verifierOptions: () => ({ issuer, audience, getJwks: () => Promise.resolve(jwks()) }),
    async serveJwks() {
      let requests = 0;
      const server = createServer((req, res) => {
        requests += 1;
        if (req.url !== '/.well-known/jwks.json') {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks()));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        requests: () => requests,
        close: () =>
          new Promise<void>((resolve, reject) => {
            server.closeAllConnections();
            server.close((err) => (err ? reject(err) : resolve()));
          }),
      };
    },
  };
}
