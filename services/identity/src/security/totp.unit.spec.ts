import { describe, expect, it } from 'vitest';
import { createTotp, totpProof } from './totp.js';

const totp = createTotp({ issuer: 'MedSpa' });
const at = new Date('2025-03-01T09:00:10.000Z'); // 10 s into its 30 s step
const step = Math.floor(at.getTime() / 30_000);

describe('TOTP', () => {
  it('makes 160-bit base32 secrets and an authenticator URI (SHA1, 6 digits, 30 s)', () => {
    const secret = totp.generateSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.generateSecret()).not.toBe(secret);
    const uri = new URL(totp.keyUri({ secret, accountName: 'dr.lee' }));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('MedSpa');
    expect(uri.searchParams.get('algorithm') ?? 'SHA1').toBe('SHA1');
    expect(uri.searchParams.get('digits') ?? '6').toBe('6');
    expect(uri.searchParams.get('period') ?? '30').toBe('30');
  });

  it('matches RFC 6238 test vector (SHA1, T = 59 s)', async () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (ASCII), 8 digits 94287082 -> last 6.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(await totp.generate(rfcSecret, new Date(59_000))).toBe('287082');
  });

  it('accepts the current code and one step either side, not two', async () => {
    const secret = totp.generateSecret();
    for (const offset of [-1, 0, 1]) {
      const code = await totp.generate(secret, new Date(at.getTime() + offset * 30_000));
      expect(await totp.verify({ secret, code, at })).toEqual({ valid: true, timeStep: step + offset });
    }
    for (const offset of [-2, 2]) {
      const code = await totp.generate(secret, new Date(at.getTime() + offset * 30_000));
      expect(await totp.verify({ secret, code, at })).toEqual({ valid: false, reason: 'invalid' });
    }
  });

  it('reports a code from an already used step as replayed', async () => {
    const secret = totp.generateSecret();
    const code = await totp.generate(secret, at);
    expect(await totp.verify({ secret, code, at, lastUsedTimeStep: step })).toEqual({
      valid: false,
      reason: 'replayed',
      timeStep: step,
    });
    expect(await totp.verify({ secret, code, at, lastUsedTimeStep: step - 1 })).toEqual({
      valid: true,
      timeStep: step,
    });
  });

  it('tolerates spaces and refuses anything but six digits without checking it', async () => {
    const secret = totp.generateSecret();
    const code = await totp.generate(secret, at);
    expect(await totp.verify({ secret, code: `${code.slice(0, 3)} ${code.slice(3)}`, at })).toMatchObject({
      valid: true,
    });
    expect(await totp.verify({ secret, code: '12345a', at })).toEqual({ valid: false, reason: 'malformed' });
    expect(await totp.verify({ secret, code: '1234567', at })).toEqual({ valid: false, reason: 'malformed' });
  });

  it('turns a verification into the decider proof', () => {
    expect(totpProof({ valid: true, timeStep: 7 })).toEqual({ kind: 'totp', matchedTimeStep: 7 });
    expect(totpProof({ valid: false, reason: 'replayed', timeStep: 7 })).toEqual({
      kind: 'totp',
      matchedTimeStep: 7,
    });
    expect(totpProof({ valid: false, reason: 'invalid' })).toEqual({ kind: 'totp', matchedTimeStep: null });
  });
});
