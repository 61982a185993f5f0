import { describe, expect, it } from 'vitest';
import { ARGON2_MINIMUM, createPasswordHasher } from './password-hasher.js';

const PASSWORD = 'lilac-harbour-fennel-42';

describe('argon2id password hasher', () => {
  const hasher = createPasswordHasher();

  it('hashes with argon2id at no less than m=19 MiB, t=2, p=1, salted', async () => {
    const a = await hasher.hash(PASSWORD);
    const b = await hasher.hash(PASSWORD);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASSWORD);
  });

  it('verifies the right password and refuses others', async () => {
    const stored = await hasher.hash(PASSWORD);
    expect(await hasher.verify(stored, PASSWORD)).toBe(true);
    expect(await hasher.verify(stored, `${PASSWORD}x`)).toBe(false);
    expect(await hasher.verify(stored, PASSWORD.toUpperCase())).toBe(false);
  });

  it('does the work of a verification when no account matches, and says no', async () => {
    expect(await hasher.verifyNoAccount(PASSWORD)).toBe(false);
  });

  it('reports a corrupt stored hash without echoing it', async () => {
    const err = await hasher.verify('$argon2id$v=19$m=1,t=1,p=1$bad', PASSWORD).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'PASSWORD_HASH_INVALID', kind: 'internal' });
    expect((err as Error).message).not.toContain('argon2');
  });

  it('asks for a rehash when the parameters changed', async () => {
    const stronger = createPasswordHasher({ ...ARGON2_MINIMUM, memoryKiB: 47_104, timeCost: 2 });
    const old = await hasher.hash(PASSWORD);
    expect(hasher.needsRehash(old)).toBe(false);
    expect(stronger.needsRehash(old)).toBe(true);
    expect(
      hasher.needsRehash(
        '$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
      ),
    ).toBe(true);
    expect(hasher.needsRehash('not a hash')).toBe(true);
    // A hash made with older, weaker settings still verifies, so the user can sign in and be upgraded.
    expect(await stronger.verify(old, PASSWORD)).toBe(true);
  });

  it('refuses parameters below the OWASP minimum', () => {
    expect(() => createPasswordHasher({ memoryKiB: 4096, timeCost: 3, parallelism: 1 })).toThrow(RangeError);
    expect(() => createPasswordHasher({ ...ARGON2_MINIMUM, timeCost: 1 })).toThrow(RangeError);
  });
});
