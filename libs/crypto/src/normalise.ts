import { errors, type AppError } from '@medspa/errors';

// Letters that NFKD does not decompose into a base letter plus marks.
const FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const APOSTROPHES = /['’‘ʼʹ`´]/g;

const invalid = (reason: string, field: string): AppError =>
  // The value itself is PHI and never goes into the message.
  errors.validation(reason, 'The value cannot be indexed', {
    violations: [{ field, message: 'is not valid' }],
  });

/**
 * A person's name for matching: NFKD, accents stripped, lower case, apostrophes dropped (O'Brien =
 * OBrien), other punctuation and runs of spaces as one space. "José  O'Brien" → "jose obrien".
 */
export function normaliseName(value: string): string {
  return value
    .replace(APOSTROPHES, '')
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøłđðþı]/g, (c) => FOLDS[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A phone number as E.164 (`+14155550100`). Without `+` or `00`, the number is national: a leading
 * trunk `0` is dropped and `defaultCallingCode` prefixed (NANP numbers may already start with 1).
 */
export function normalisePhone(value: string, defaultCallingCode = '1'): string {
  const main = value.split(/\s*(?:ext\.?|x|#)\s*\d*\s*$/i)[0] ?? '';
  const trimmed = main.trim();
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    // international already
  } else if (digits.startsWith('00')) {
    digits = digits.slice(2);
  } else if (!(defaultCallingCode === '1' && digits.length === 11 && digits.startsWith('1'))) {
    digits = defaultCallingCode + digits.replace(/^0/, '');
  }
  if (!/^[1-9]\d{7,14}$/.test(digits)) throw invalid('INVALID_PHONE', 'phone');
  return `+${digits}`;
}

/** A date of birth as an ISO date (YYYY-MM-DD); only that form is accepted, as 01/02 is ambiguous. */
export function normaliseDateOfBirth(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (match === null) throw invalid('INVALID_DATE_OF_BIRTH', 'dateOfBirth');
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw invalid('INVALID_DATE_OF_BIRTH', 'dateOfBirth');
  }
  return match[0];
}

/**
 * An email address, trimmed and lower-cased. Provider rules (Gmail dots, `+tags`) are not applied:
 * they would make different people's addresses match.
 */
export function normaliseEmail(value: string): string {
  const email = value.trim().normalize('NFC').toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('INVALID_EMAIL', 'email');
  return email;
}
