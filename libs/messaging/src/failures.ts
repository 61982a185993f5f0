import { isAppError, type ErrorKind } from '@medspa/errors';
import { pgCode } from '@medspa/db';

/** A failure as it may be stored and shown: a class and a reason code, never an error's message. */
export interface FailureDescription {
  /** An AppError's kind (`unavailable`), otherwise the error's constructor name (`TypeError`). */
  errorClass: string;
  /** An AppError's reason, a Postgres SQLSTATE (`SQLSTATE_40001`), or `UNEXPECTED_ERROR`. */
  reason: string;
}

// Business failures: retrying cannot change the answer (Temporal's rule: business failures are not
// retried). Everything else, unknown errors included, is retried before it is parked.
const PERMANENT: ReadonlySet<ErrorKind> = new Set([
  'validation',
  'forbidden',
  'unauthenticated',
  'precondition',
]);

/** True when retrying might succeed: anything but a business failure. */
export const isTransientFailure = (e: unknown): boolean => !(isAppError(e) && PERMANENT.has(e.kind));

/**
 * What may be said about a failure without risking PHI: an unknown error's message (a driver's,
 * a library's, a stack) may quote data, so only its type and a code are kept.
 */
export function describeFailure(e: unknown): FailureDescription {
  if (isAppError(e)) return { errorClass: e.kind, reason: e.reason };
  const code = pgCode(e);
  const errorClass =
    e instanceof Error ? (e.constructor.name !== '' ? e.constructor.name : 'Error') : typeof e;
  return {
    errorClass,
    reason: code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? `SQLSTATE_${code}` : 'UNEXPECTED_ERROR',
  };
}
