import { errors, type FieldViolation } from '@medspa/errors';

/** How repeated sign-in failures lock an account: every `threshold` failures in a row lock it. */
export interface LockoutPolicy {
  /** Consecutive failures that trigger a lockout. */
  threshold: number;
  /** Length of the first lockout in a streak; each further lockout doubles it. */
  baseSeconds: number;
  /** The doubling stops here. */
  maxSeconds: number;
}

/** A clinic's security settings. Each may only be tightened below the platform's HIPAA defaults. */
export interface TenantSettings {
  lockout: LockoutPolicy;
  /** Automatic logoff: a refresh after this many idle minutes is refused. */
  idleTimeoutMinutes: number;
  /** Absolute lifetime of a session (its refresh-token family). */
  sessionLifetimeHours: number;
  /** How long one break-glass grant lasts. */
  breakGlassMinutes: number;
}

export type TenantSettingsChange = Partial<Omit<TenantSettings, 'lockout'>> & {
  lockout?: Partial<LockoutPolicy>;
};

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { threshold: 5, baseSeconds: 60, maxSeconds: 3600 };

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  lockout: DEFAULT_LOCKOUT_POLICY,
  idleTimeoutMinutes: 15,
  sessionLifetimeHours: 24,
  breakGlassMinutes: 60,
};

// Upper bounds are the mission's limits (15 idle minutes, 24 h refresh); lower bounds keep a
// setting usable. The lockout threshold stays well under NIST 800-63B's 100 failed attempts.
const RANGES: ReadonlyArray<[field: string, read: (s: TenantSettings) => number, min: number, max: number]> =
  [
    ['lockout.threshold', (s) => s.lockout.threshold, 3, 10],
    ['lockout.baseSeconds', (s) => s.lockout.baseSeconds, 30, 900],
    ['lockout.maxSeconds', (s) => s.lockout.maxSeconds, 60, 86_400],
    ['idleTimeoutMinutes', (s) => s.idleTimeoutMinutes, 1, 15],
    ['sessionLifetimeHours', (s) => s.sessionLifetimeHours, 1, 24],
    ['breakGlassMinutes', (s) => s.breakGlassMinutes, 5, 60],
  ];

/** Field by field, because settings read back from jsonb do not keep their key order. */
export const sameSettings = (a: TenantSettings, b: TenantSettings): boolean =>
  RANGES.every(([, read]) => read(a) === read(b));

/** The settings after a change; throws TENANT_SETTINGS_INVALID listing every bad field. */
export function applySettingsChange(current: TenantSettings, change: TenantSettingsChange): TenantSettings {
  const next: TenantSettings = {
    ...current,
    ...change,
    lockout: { ...current.lockout, ...change.lockout },
  };
  const violations: FieldViolation[] = [];
  for (const [field, read, min, max] of RANGES) {
    const value = read(next);
    if (!Number.isInteger(value) || value < min || value > max) {
      violations.push({ field, message: `must be a whole number from ${min} to ${max}` });
    }
  }
  if (next.lockout.maxSeconds < next.lockout.baseSeconds) {
    violations.push({ field: 'lockout.maxSeconds', message: 'must not be less than lockout.baseSeconds' });
  }
  if (violations.length > 0) {
    throw errors.validation('TENANT_SETTINGS_INVALID', 'The tenant settings are invalid', { violations });
  }
  return next;
}
