/** The kinds of failure the platform distinguishes; each maps to one gRPC code and one HTTP status. */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition'
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'internal';

/** One invalid input field, named by its path (`start`, `items.0.units`). */
export interface FieldViolation {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Field-level problems, for validation errors. */
  violations?: FieldViolation[];
  cause?: unknown;
}

/**
 * The one error type the platform throws on purpose. `reason` is a stable, machine-readable code
 * in SCREAMING_SNAKE_CASE (`SLOT_TAKEN`); `message` is for people and must never carry PHI.
 */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly reason: string;
  readonly violations: FieldViolation[];

  constructor(kind: ErrorKind, reason: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.reason = reason;
    this.violations = options.violations ?? [];
  }
}

const make =
  (kind: ErrorKind) =>
  (reason: string, message: string, options?: AppErrorOptions): AppError =>
    new AppError(kind, reason, message, options);

/** Constructors by kind, so call sites read as `errors.notFound('PATIENT_NOT_FOUND', '...')`. */
export const errors = {
  validation: make('validation'),
  unauthenticated: make('unauthenticated'),
  forbidden: make('forbidden'),
  notFound: make('not_found'),
  conflict: make('conflict'),
  precondition: make('precondition'),
  rateLimited: make('rate_limited'),
  unavailable: make('unavailable'),
  timeout: make('timeout'),
  internal: make('internal'),
};

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * Anything thrown, as an AppError. Unknown errors become `internal` with a generic message so that
 * nothing from a driver or a stack trace (which may hold PHI) reaches a caller.
 */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  return new AppError('internal', 'INTERNAL', 'An internal error occurred', { cause: e });
}
