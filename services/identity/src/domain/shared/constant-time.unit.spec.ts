import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './constant-time.js';
import { isArgon2idHash, isOpaqueSecretRef, isSha256Base64Url, isSha256Hex } from './formats.js';

describe('constantTimeEqual', () => {
  it('is true only for equal strings', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
  });
});

describe('secret-shape guards', () => {
  it('tells an argon2id hash from a password', () => {
    expect(isArgon2idHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNo')).toBe(true);
    expect(isArgon2idHash('correct horse battery staple')).toBe(false);
    expect(isArgon2idHash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA')).toBe(false);
  });
  it('tells hashes from raw codes and tokens', () => {
    expect(isSha256Hex('a'.repeat(64))).toBe(true);
    expect(isSha256Hex('ABCD-EFGH-JKMN-PQRS')).toBe(false);
    expect(isSha256Base64Url('A'.repeat(43))).toBe(true);
    expect(isSha256Base64Url('msrt1.a.b.c')).toBe(false);
  });
  it('refuses what looks like a raw base32 TOTP secret', () => {
    expect(isOpaqueSecretRef('JBSWY3DPEHPK3PXPJBSWY3DP')).toBe(false);
    expect(isOpaqueSecretRef('phi:AQID-ciphertext')).toBe(true);
    expect(isOpaqueSecretRef('')).toBe(false);
  });
});
