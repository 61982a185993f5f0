import { AppError } from '@medspa/errors';

/**
 * ACCOUNT_LOCKED with the seconds until the lockout ends, so the edge can send `Retry-After`
 * (libs/errors has no field for it yet). The message names no account and no reason.
 */
export class AccountLockedError extends AppError {
  readonly retryAfterSeconds: number;
  readonly lockedUntil: string;

  constructor(retryAfterSeconds: number, lockedUntil: string) {
    super('rate_limited', 'ACCOUNT_LOCKED', `Too many failed sign-ins; try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
    this.lockedUntil = lockedUntil;
  }
}
