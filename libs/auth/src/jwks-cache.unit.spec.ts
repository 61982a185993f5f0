import { randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createTokenVerifier } from './verifier.js';

describe('JWKS caching', () => {
  it('fetches once, then refetches when a token names a kid it has not seen (key rotation)', async () => {
    const issuer = await createTestIssuer();
    let fetches = 0;
    const getJwks = () => {
      fetches += 1;
      return Promise.resolve(issuer.jwks);
    };
    const verifier = createTokenVerifier({ issuer: issuer.issuer, getJwks, minRefetchIntervalMs: 0 });
    await verifier.verify(await issuer.sign());
    await verifier.verify(await issuer.sign());
    expect(fetches).toBe(1);
    await issuer.rotateKey();
    await expect(verifier.verify(await issuer.sign({ role: 'billing' }))).resolves.toMatchObject({
      role: 'billing',
    });
    expect(fetches).toBe(2);
  });

  it('rate-limits refetches caused by unknown kids', async () => {
    const issuer = await createTestIssuer();
    let clock = Date.now();
    let fetches = 0;
    const getJwks = (): Promise<JSONWebKeySet> => {
      fetches += 1;
      return Promise.resolve(issuer.jwks);
    };
    const verifier = createTokenVerifier({
      issuer: issuer.issuer,
      getJwks,
      minRefetchIntervalMs: 30_000,
      now: () => clock,
    });
    const valid = await issuer.sign();
    await verifier.verify(valid);
    const [h, p, s] = valid.split('.');
    const withKid = (kid: string) => {
      const header = JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>;
      return `${Buffer.from(JSON.stringify({ ...header, kid })).toString('base64url')}.${p}.${s}`;
    };
    clock += 31_000;
    const flood = Array.from({ length: 50 }, () => verifier.verify(withKid(randomUUID())));
    const results = await Promise.allSettled(flood);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(results[0]).toMatchObject({ reason: { reason: 'TOKEN_UNKNOWN_KEY' } });
    expect(fetches).toBe(2); // the initial fetch plus one refetch for the whole flood
    await verifier.verify(withKid(randomUUID())).catch(() => undefined);
    expect(fetches).toBe(2);
  });

  it('reports unavailable, not unauthenticated, when no keys can be fetched at all', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier({
      issuer: issuer.issuer,
      getJwks: () => Promise.reject(new Error('identity down')),
    });
    await expect(verifier.verify(await issuer.sign())).rejects.toMatchObject({
      kind: 'unavailable',
      reason: 'JWKS_UNAVAILABLE',
    });
  });

  it('reads the JWKS from a URL', async () => {
    const issuer = await createTestIssuer();
    const server = await issuer.serveJwks();
    try {
      const verifier = createTokenVerifier({ issuer: issuer.issuer, jwksUrl: server.url });
      await expect(verifier.verify(await issuer.sign({ role: 'patient' }))).resolves.toMatchObject({
        role: 'patient',
      });
      expect(server.requests()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
