import { generate, generateSecret, generateURI, verify } from 'otplib';
import { errors } from '@medspa/errors';
import type { SecondFactorProof } from '../domain/user/sign-in.js';

/*
 * RFC 6238 TOTP as every authenticator app speaks it: HMAC-SHA-1, 6 digits, 30 s steps, and one
 * step of tolerance either way for clock drift. otplib compares codes in constant time.
 */
const TOTP = { algorithm: 'sha1', digits: 6, period: 30 } as const;
/** ±1 step: otplib checks every step touched by [now − 30 s, now + 30 s]. */
const TOLERANCE_SECONDS = TOTP.period;
/** 160-bit secrets, the HMAC-SHA-1 block size RFC 4226 recommends. */
const SECRET_BYTES = 20;

export type TotpVerification =
  | { valid: true; timeStep: number }
  /** The code is right but its time step was already used: a replay. */
  | { valid: false; reason: 'replayed'; timeStep: number }
  | { valid: false; reason: 'invalid' | 'malformed' };

export interface Totp {
  /** A fresh base32 secret, to show once (QR code) and store only encrypted. */
  generateSecret(): string;
  /** The `otpauth://totp/...` URI for the QR code. */
  keyUri(input: { secret: string; accountName: string }): string;
  /**
   * Checks a code at `at`. With `lastUsedTimeStep` (kept by the User aggregate), a code from that
   * step or earlier is reported as `replayed`.
   */
  verify(input: {
    secret: string;
    code: string;
    at: Date;
    lastUsedTimeStep?: number;
  }): Promise<TotpVerification>;
  /** The code for `at`; for tests and for nothing a user sees. */
  generate(secret: string, at: Date): Promise<string>;
}

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** TOTP with otplib; `issuer` is the name the authenticator app shows (the platform or clinic). */
export function createTotp(options: { issuer: string }): Totp {
  return {
    generateSecret: () => generateSecret({ length: SECRET_BYTES }),
    keyUri: ({ secret, accountName }) =>
      generateURI({ issuer: options.issuer, label: accountName, secret, ...TOTP }),
    async verify({ secret, code, at, lastUsedTimeStep }) {
      const token = code.replace(/\s/g, '');
      if (!/^\d{6}$/.test(token)) return { valid: false, reason: 'malformed' };
      let result;
      try {
        result = await verify({
          secret,
          token,
          epoch: epochSeconds(at),
          epochTolerance: TOLERANCE_SECONDS,
          ...TOTP,
        });
      } catch (e) {
        // otplib's errors may describe the secret; keep them as the cause only.
        throw errors.internal('TOTP_SECRET_INVALID', 'The stored TOTP secret cannot be used', { cause: e });
      }
      // otplib types the result for TOTP and HOTP alike; only TOTP's carries the time step.
      if (!result.valid || !('timeStep' in result)) return { valid: false, reason: 'invalid' };
      if (lastUsedTimeStep !== undefined && result.timeStep <= lastUsedTimeStep) {
        return { valid: false, reason: 'replayed', timeStep: result.timeStep };
      }
      return { valid: true, timeStep: result.timeStep };
    },
    generate: (secret, at) => generate({ secret, epoch: epochSeconds(at), ...TOTP }),
  };
}

/**
 * A verification as the User decider's second-factor proof. A replayed code keeps its time step,
 * so the decider records it as `totp_replayed` rather than a plain wrong code.
 */
export function totpProof(verification: TotpVerification): Extract<SecondFactorProof, { kind: 'totp' }> {
  if (verification.valid || verification.reason === 'replayed') {
    return { kind: 'totp', matchedTimeStep: verification.timeStep };
  }
  return { kind: 'totp', matchedTimeStep: null };
}
