import { describe, expect, it } from 'vitest';
import { commonPasswords } from './common-passwords.js';
import { assertAcceptablePassword, checkPassword, normalisePassword } from './password-policy.js';

describe('password policy', () => {
  it('ships a list of a few thousand common passwords, all long enough to matter', () => {
    const list = commonPasswords();
    expect(list.size).toBe(5000);
    for (const p of list) {
      expect(p).toBe(normalisePassword(p));
      expect([...p].length).toBeGreaterThanOrEqual(12);
    }
  });

  it('needs at least 12 characters, not counting surrounding spaces', () => {
    expect(checkPassword('short-pass1')).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('   short-pass1   ')).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('lilac-harbour')).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkPassword('🔑'.repeat(11))).toBe('PASSWORD_TOO_SHORT');
    expect(checkPassword('ñandú-señor-öl')).toBeUndefined();
  });

  it('refuses common passwords whatever their case or padding', () => {
    expect(checkPassword('password1234')).toBe('PASSWORD_TOO_COMMON');
    expect(checkPassword('  Qwerty123456 ')).toBe('PASSWORD_TOO_COMMON');
    expect(checkPassword('1QAZ2WSX3EDC')).toBe('PASSWORD_TOO_COMMON');
  });

  it('refuses absurdly long input before it reaches the hasher', () => {
    expect(checkPassword('x'.repeat(257))).toBe('PASSWORD_TOO_LONG');
  });

  it('throws a validation error with the reason and without the password', () => {
    let thrown: unknown;
    try {
      assertAcceptablePassword('password1234');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ kind: 'validation', reason: 'PASSWORD_TOO_COMMON' });
    expect(JSON.stringify(thrown) + String(thrown)).not.toContain('password1234');
    expect(() => assertAcceptablePassword('lilac-harbour-fennel')).not.toThrow();
  });
});
