import * as jose from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createTokenVerifier } from './verifier.js';
import { VerifiedTokenCache } from './verify-cache.js';

// Count signature checks: the cache's point is to skip them.
vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof jose>();
  return { ...actual, jwtVerify: vi.fn(actual.jwtVerify) };
});
const signatureChecks = () => vi.mocked(jose.jwtVerify).mock.calls.length;

/** A verifier over the issuer's JWKS that counts fetches, on a clock the test moves. */
async function setUp(
  options: { cacheMaxEntries?: number; maxKeyAgeMs?: number; clockToleranceSec?: number } = {},
) {
  const issuer = await createTestIssuer();
  // Real time plus what the test advanced: tokens are signed on the real clock.
  let offset = 0;
  let published = () => issuer.jwks;
  let fetches = 0;
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    getJwks: () => {
      fetches++;
      return Promise.resolve(published());
    },
    minRefetchIntervalMs: 0,
    now: () => Date.now() + offset,
    ...options,
  });
  return {
    issuer,
    verifier,
    advance: (ms: number) => (offset += ms),
    publish: (jwks: () => typeof issuer.jwks) => (published = jwks),
    fetches: () => fetches,
  };
}

describe('createTokenVerifier cache', () => {
  it('verifies a repeated token once and hands each caller its own copy', async () => {
    const { issuer, verifier } = await setUp();
    const token = await issuer.sign({ breakGlass: { reason: 'anaphylaxis' } });
    const before = signatureChecks();
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(signatureChecks() - before).toBe(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(second.breakGlass).not.toBe(first.breakGlass);
  });

  it('never returns a cached principal once its token has expired', async () => {
    const { issuer, verifier, advance } = await setUp({ clockToleranceSec: 0 });
    const token = await issuer.sign({ expiresIn: 60 });
    await verifier.verify(token);
    advance(59_000);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    advance(1_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ reason: 'TOKEN_EXPIRED' });
  });

  it('re-verifies after the key set is due for refresh, and refetches it', async () => {
    const { issuer, verifier, advance, fetches } = await setUp({ maxKeyAgeMs: 60_000 });
    const token = await issuer.sign();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(fetches()).toBe(1);
    advance(61_000);
    await verifier.verify(token);
    expect(fetches()).toBe(2);
  });

  it('drops principals verified with a key that is withdrawn', async () => {
    const { issuer, verifier, publish } = await setUp();
    const oldToken = await issuer.sign();
    await verifier.verify(oldToken);
    const oldKid = issuer.kid;
    await issuer.rotateKey();
    // Identity withdraws the old key; a token of the new key makes the verifier refetch.
    publish(() => ({ keys: issuer.jwks.keys.filter((k) => k.kid !== oldKid) }));
    await verifier.verify(await issuer.sign());
    await expect(verifier.verify(oldToken)).rejects.toMatchObject({ reason: 'TOKEN_UNKNOWN_KEY' });
  });

  it('keeps principals of a key still published when another key is added', async () => {
    const { issuer, verifier, fetches } = await setUp();
    const oldToken = await issuer.sign();
    await verifier.verify(oldToken);
    await issuer.rotateKey();
    await verifier.verify(await issuer.sign());
    expect(fetches()).toBe(2);
    await verifier.verify(oldToken);
    expect(fetches()).toBe(2);
  });

  it('does not cache failures: a bad token is refused every time', async () => {
    const { issuer, verifier } = await setUp();
    const expired = await issuer.sign({ expiresIn: -60 });
    await expect(verifier.verify(expired)).rejects.toMatchObject({ reason: 'TOKEN_EXPIRED' });
    await expect(verifier.verify(expired)).rejects.toMatchObject({ reason: 'TOKEN_EXPIRED' });
  });

  it('with the cache off, verifies every time', async () => {
    const { issuer, verifier } = await setUp({ cacheMaxEntries: 0 });
    const token = await issuer.sign();
    const before = signatureChecks();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(signatureChecks() - before).toBe(2);
  });

  it('verifies tokens it has not seen, even from the same user', async () => {
    const { issuer, verifier } = await setUp();
    const token = await issuer.sign({ userId: 'u-1', role: 'front_desk' });
    await verifier.verify(token);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'u-1', role: 'owner' })).toString('base64url')}.${signature}`;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ kind: 'unauthenticated' });
  });
});

describe('VerifiedTokenCache', () => {
  const principal = { userId: 'u', tenantId: 't', role: 'owner' as const, sessionId: 's', isService: false };
  const keys = new Map([['k1', 'jwk-1']]);
  const entry = (expiresAt: number) => ({ principal, expiresAt, kid: 'k1', keyFingerprint: 'jwk-1' });

  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry(1000), 0);
    cache.set('b', entry(1000), 0);
    expect(cache.get('a', 1, keys)).toEqual(principal); // a is now the most recent
    cache.set('c', entry(1000), 0);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1, keys)).toBeUndefined();
    expect(cache.get('a', 1, keys)).toEqual(principal);
    expect(cache.get('c', 1, keys)).toEqual(principal);
  });

  it('ignores entries already expired, and those whose key changed', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('old', entry(5), 5);
    expect(cache.size).toBe(0);
    cache.set('a', entry(1000), 0);
    expect(cache.get('a', 1, new Map([['k1', 'another jwk under the same kid']]))).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keysChanged drops only entries of keys no longer published as they were', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('a', entry(1000), 0);
    cache.set('b', { ...entry(1000), kid: 'k2', keyFingerprint: 'jwk-2' }, 0);
    cache.keysChanged(new Map([['k2', 'jwk-2']]));
    expect(cache.size).toBe(1);
    expect(cache.get('b', 1, new Map([['k2', 'jwk-2']]))).toEqual(principal);
  });

  it('keys by a hash, never the token itself', () => {
    const key = VerifiedTokenCache.keyOf('header.payload.signature');
    expect(key).not.toContain('payload');
    expect(key).toHaveLength(43);
  });
});
