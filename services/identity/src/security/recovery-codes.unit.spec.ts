import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { userDecider } from '../domain/user/decide.js';
import { enrolledStaff, T0 } from '../domain/unit-fixtures.js';
import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode } from './recovery-codes.js';

describe('recovery codes', () => {
  it('makes ten distinct 80-bit codes and keeps only their hashes', () => {
    const { codes, hashes } = generateRecoveryCodes('u-1');
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(hashes.join()).not.toContain(normaliseRecoveryCode(codes[0]!));
    expect(generateRecoveryCodes('u-1').codes).not.toEqual(codes);
  });

  it('matches a code however it is typed', () => {
    const { codes, hashes } = generateRecoveryCodes('u-1');
    const code = codes[0]!;
    expect(hashRecoveryCode('u-1', code.toLowerCase().replaceAll('-', ' '))).toBe(hashes[0]);
    expect(hashRecoveryCode('u-1', '0000-1111-2222-3333')).toBe(
      hashRecoveryCode('u-1', 'oooo-iiii-2222-3333'),
    );
  });

  it('binds a hash to its user', () => {
    expect(hashRecoveryCode('u-1', 'ABCD-EFGH-JKMN-PQRS')).not.toBe(
      hashRecoveryCode('u-2', 'ABCD-EFGH-JKMN-PQRS'),
    );
  });

  it('is accepted by the User decider as a set of hashes', () => {
    const { hashes } = generateRecoveryCodes('u-1');
    deciderSpec(userDecider)
      .given(enrolledStaff())
      .when({ type: 'GenerateRecoveryCodes', codeHashes: hashes, at: T0 })
      .then([{ type: 'RecoveryCodesGenerated', data: { codeHashes: hashes, at: T0.toISOString() } }]);
  });
});
