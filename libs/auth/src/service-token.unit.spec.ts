import type { CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestIssuer } from '../../testing/src/tokens.js';
import { createServiceTokenSigner } from './service-token.js';
import { createTokenVerifier } from './verifier.js';

describe('createServiceTokenSigner', () => {
  it('mints per-tenant service tokens that verify as a service principal', async () => {
    const issuer = await createTestIssuer();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    const signer = createServiceTokenSigner({
      serviceName: 'notification',
      privateKey: issuer.privateKey,
      kid: issuer.kid,
      issuer: issuer.issuer,
    });
    const principal = await verifier.verify(await signer.tokenFor('tenant-a'));
    expect(principal).toMatchObject({
      userId: 'svc:notification',
      tenantId: 'tenant-a',
      role: 'service',
      isService: true,
    });
    expect(await signer.tokenFor('tenant-a')).toBe(await signer.tokenFor('tenant-a'));
    expect(await signer.tokenFor('tenant-b')).not.toBe(await signer.tokenFor('tenant-a'));
  });

  it('renews a cached token before it expires', async () => {
    const issuer = await createTestIssuer();
    let clock = Date.now();
    const signer = createServiceTokenSigner({
      serviceName: 'billing',
      privateKey: issuer.privateKey,
      kid: issuer.kid,
      issuer: issuer.issuer,
      ttlSeconds: 300,
      now: () => clock,
    });
    const first = await signer.tokenFor('t');
    clock += 239_000;
    expect(await signer.tokenFor('t')).toBe(first);
    clock += 2_000;
    expect(await signer.tokenFor('t')).not.toBe(first);
  });

  it('refuses a service name that could spoof another subject', () => {
    const issuer = { privateKey: {} as CryptoKey, kid: 'k', issuer: 'i' };
    expect(() => createServiceTokenSigner({ ...issuer, serviceName: 'svc:evil' })).toThrow(RangeError);
  });
});
