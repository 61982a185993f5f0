import { AppError, errors } from '@medspa/errors';

/** Reason of the error thrown when a key was destroyed on purpose (crypto-shredding). */
export const KEY_SHREDDED = 'KEY_SHREDDED';

// One reason for every integrity failure (malformed, tampered, wrong tenant/subject/field): telling
// an attacker which check failed would help them, and callers handle all of them the same way.
export const CIPHERTEXT_INVALID = 'CIPHERTEXT_INVALID';

/**
 * The key of a Patient or Tenant was shredded. A thrown precondition rather than a returned marker:
 * a marker widens every decrypt's return type and is easy to stringify into a read model by
 * mistake, while an error cannot be ignored silently and maps to gRPC FAILED_PRECONDITION at the edge.
 * Projections that rebuild past erased Patients catch it with `isKeyShredded`.
 */
export const keyShredded = (what: 'subject' | 'tenant'): AppError =>
  errors.precondition(KEY_SHREDDED, `The ${what} key was shredded; the data can no longer be read`);

/** True for the error thrown when data belongs to a shredded Patient or Tenant. */
export const isKeyShredded = (e: unknown): e is AppError =>
  e instanceof AppError && e.reason === KEY_SHREDDED;

export const ciphertextInvalid = (message: string, cause?: unknown): AppError =>
  errors.internal(CIPHERTEXT_INVALID, message, cause === undefined ? undefined : { cause });
