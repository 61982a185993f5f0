import { createHash, randomBytes } from 'node:crypto';

/*
 * Recovery codes: the way back in when the authenticator is lost. Ten of them, shown once, each
 * usable once (the User aggregate keeps their hashes and crosses one off per use).
 *
 * Each code is 16 Crockford base32 characters (80 random bits), shown as XXXX-XXXX-XXXX-XXXX.
 * 80 bits put an offline search of the hashes out of reach, so a plain SHA-256 suffices (argon2
 * is for low-entropy passwords), and it is deterministic so the decider can match by hash. The
 * user id is in the hash input so that equal codes of two users never share a hash.
 */
export const RECOVERY_CODES_PER_SET = 10;
const CODE_CHARS = 16;
// Crockford's alphabet: no I, L, O, U, so nothing is misread or spells a word by accident.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LOOKALIKES: Record<string, string> = { I: '1', L: '1', O: '0' };

function randomCode(): string {
  const bytes = randomBytes(10); // 80 bits, 5 bits per character
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let code = '';
  for (let i = CODE_CHARS - 1; i >= 0; i--) {
    code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
    if (i % 4 === 0 && i > 0) code += '-';
  }
  return code;
}

/** A code as typed: case, spaces and dashes ignored, look-alike letters read as digits. */
export const normaliseRecoveryCode = (code: string): string =>
  code
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[ILO]/g, (c) => LOOKALIKES[c] ?? c);

/** The hash stored for a code (lower-case SHA-256 hex). */
export const hashRecoveryCode = (userId: string, code: string): string =>
  createHash('sha256')
    .update(`medspa.recovery-code.v1\0${userId}\0${normaliseRecoveryCode(code)}`)
    .digest('hex');

/** A new set: the codes to show the user once, and the hashes to keep (same order). */
export function generateRecoveryCodes(userId: string): { codes: string[]; hashes: string[] } {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODES_PER_SET) codes.add(randomCode());
  const list = [...codes];
  return { codes: list, hashes: list.map((c) => hashRecoveryCode(userId, c)) };
}
