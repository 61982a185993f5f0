import { errors } from '@medspa/errors';
import { commonPasswords } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounded so a megabyte "password" cannot tie up a hashing thread. */
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordRejection = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_COMMON';

/**
 * The form passwords are compared in: Unicode NFKC (so look-alike encodings of one character
 * are one character), trimmed, lower case. Only for the policy; the hash gets what was typed.
 */
export const normalisePassword = (password: string): string =>
  password.normalize('NFKC').trim().toLowerCase();

/**
 * NIST SP 800-63B style: a minimum length counted in characters (code points, after trimming, so
 * padding with spaces does not count), no composition rules, and a block list of common
 * passwords. Returns the first rule broken, or undefined when the password is acceptable.
 */
export function checkPassword(password: string): PasswordRejection | undefined {
  const normalised = normalisePassword(password);
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  if (commonPasswords().has(normalised)) return 'PASSWORD_TOO_COMMON';
  return undefined;
}

const MESSAGES: Record<PasswordRejection, string> = {
  PASSWORD_TOO_SHORT: `The password must have at least ${PASSWORD_MIN_LENGTH} characters`,
  PASSWORD_TOO_LONG: `The password must have at most ${PASSWORD_MAX_LENGTH} characters`,
  PASSWORD_TOO_COMMON: 'The password is too common; choose another',
};

/** Throws a validation error naming the rule (never echoing the password) if the password is refused. */
export function assertAcceptablePassword(password: string): void {
  const rejection = checkPassword(password);
  if (rejection === undefined) return;
  throw errors.validation(rejection, MESSAGES[rejection], {
    violations: [{ field: 'password', message: MESSAGES[rejection] }],
  });
}
