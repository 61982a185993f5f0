import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '@medspa/auth';
import { decodeProtectedHeader } from 'jose';
import { createAccessTokenIssuer } from './access-token-issuer.js';
import { createInMemorySigningKeySet } from './in-memory-signing-keys.js';
import type { SigningKeySet } from './signing-keys.js';

const ISSUER = 'https://identity.test.medspa.local';
const T0 = new Date('2025-03-01T09:00:00.000Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const verifierAt = (keys: SigningKeySet, at: Date) =>
  createTokenVerifier({
    issuer: ISSUER,
    getJwks: () => keys.jwks(at),
    now: () => at.getTime(),
    minRefetchIntervalMs: 0,
  });

const request = { userId: 'u-1', tenantId: 't-1', role: 'provider', sessionId: 's-1' } as const;

describe('access-token issuer', () => {
  it('issues a 15-minute EdDSA at+jwt with sub, tid, role, sid and the signing key id', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    const issued = await createAccessTokenIssuer({ keys, issuer: ISSUER }).issue({ ...request, at: T0 });
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: issued.kid });
    expect(issued.expiresAt).toEqual(later(900));
    const principal = await verifierAt(keys, later(60)).verify(issued.token);
    expect(principal).toMatchObject({
      userId: 'u-1',
      tenantId: 't-1',
      role: 'provider',
      sessionId: 's-1',
      isService: false,
    });
  });

  it('carries a break-glass reason and a shorter lifetime when asked', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    const issuer = createAccessTokenIssuer({ keys, issuer: ISSUER });
    const issued = await issuer.issue({
      ...request,
      breakGlass: { reason: 'Anaphylaxis in room 2' },
      ttlSeconds: 120,
      at: T0,
    });
    expect(issued.expiresAt).toEqual(later(120));
    expect(await verifierAt(keys, later(60)).verify(issued.token)).toMatchObject({
      breakGlass: { reason: 'Anaphylaxis in room 2' },
    });
    await expect(verifierAt(keys, later(200)).verify(issued.token)).rejects.toMatchObject({
      reason: 'TOKEN_EXPIRED',
    });
  });
});

describe('signing key rotation', () => {
  it('publishes the next key before it signs, and a retired key until its tokens have expired', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    const issuer = createAccessTokenIssuer({ keys, issuer: ISSUER });
    const before = await issuer.issue({ ...request, at: T0 });
    const published = (await keys.jwks(T0)).keys.map((k) => k.kid);
    expect(published).toHaveLength(2);
    expect(published).toContain(before.kid);

    await keys.rotate(later(60));
    const after = await issuer.issue({ ...request, at: later(60) });
    expect(after.kid).not.toBe(before.kid);
    // The new signer was already in the JWKS a verifier fetched before the rotation.
    expect(published).toContain(after.kid);
    // Both tokens verify during the overlap.
    const verifier = verifierAt(keys, later(120));
    await expect(verifier.verify(before.token)).resolves.toMatchObject({ userId: 'u-1' });
    await expect(verifier.verify(after.token)).resolves.toMatchObject({ userId: 'u-1' });
    expect((await keys.jwks(later(120))).keys.map((k) => k.kid)).toContain(before.kid);
    // Once every token of the retired key has expired (15 min + skew), it is withdrawn.
    expect((await keys.jwks(later(60 + 960))).keys.map((k) => k.kid)).not.toContain(before.kid);
  });

  it('refuses to promote a next key that verifiers may not have seen yet', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    await keys.rotate(later(1));
    await expect(keys.rotate(later(60))).rejects.toThrow(RangeError);
    await expect(keys.rotate(later(60 + 900))).resolves.toBeUndefined();
  });

  it('withdraws a leaked key at once in an emergency rotation', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    const leaked = await createAccessTokenIssuer({ keys, issuer: ISSUER }).issue({ ...request, at: T0 });
    await keys.rotate(later(1), { emergency: true });
    expect((await keys.jwks(later(2))).keys.map((k) => k.kid)).not.toContain(leaked.kid);
    await expect(verifierAt(keys, later(2)).verify(leaked.token)).rejects.toMatchObject({
      reason: 'TOKEN_UNKNOWN_KEY',
    });
  });

  it('publishes only public Ed25519 keys with a thumbprint kid', async () => {
    const keys = await createInMemorySigningKeySet(T0);
    for (const jwk of (await keys.jwks(T0)).keys) {
      expect(jwk).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String) as string,
        kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as string,
        alg: 'EdDSA',
        use: 'sig',
      });
      expect(jwk).not.toHaveProperty('d');
    }
  });
});
