import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createResponseSeal } from './response-seal.js';

describe('response seal', () => {
  const seal = createResponseSeal(randomBytes(32));

  it('round-trips and hides the plain text', () => {
    const sealed = seal.seal(Buffer.from('{"givenName":"Ada"}'), 'key-1');
    expect(sealed).not.toContain('Ada');
    expect(seal.open(sealed, 'key-1').toString()).toBe('{"givenName":"Ada"}');
  });

  it('refuses another context, another key and a tampered text', () => {
    const sealed = seal.seal(Buffer.from('body'), 'key-1');
    expect(() => seal.open(sealed, 'key-2')).toThrow();
    expect(() => createResponseSeal(randomBytes(32)).open(sealed, 'key-1')).toThrow();
    // Flip one bit of the ciphertext (past the 12-byte IV and 16-byte tag).
    const bytes = Buffer.from(sealed.slice('v1.'.length), 'base64url');
    bytes[28] = (bytes[28] ?? 0) ^ 1;
    expect(() => seal.open(`v1.${bytes.toString('base64url')}`, 'key-1')).toThrow();
  });

  it('digests with the key: same input same digest, other key other digest', () => {
    expect(seal.digest('POST /x {}')).toBe(seal.digest('POST /x {}'));
    expect(seal.digest('POST /x {}')).not.toBe(createResponseSeal(randomBytes(32)).digest('POST /x {}'));
  });

  it('takes only a 32-byte key', () => {
    expect(() => createResponseSeal(randomBytes(16))).toThrow(RangeError);
  });
});
