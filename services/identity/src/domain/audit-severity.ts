import type { BreakGlassEvent } from './break-glass/break-glass.js';
import type { SessionEvent } from './session/session.js';
import type { TenantEvent } from './tenant/tenant.js';
import type { UserEvent } from './user/user.js';

export type IdentityEvent = TenantEvent | UserEvent | SessionEvent | BreakGlassEvent;

/**
 * How loudly the audit trail should flag an identity event: `alert` is for a reviewer's
 * attention now (break-glass, stolen refresh token), `warning` for patterns worth a look
 * (lockouts, failures, weakened protection), `info` for the ordinary record. Every event is
 * audited whatever its level; the switch is exhaustive so a new event must be classified.
 */
export type AuditSeverity = 'info' | 'warning' | 'alert';

export function auditSeverity(event: IdentityEvent): AuditSeverity {
  switch (event.type) {
    case 'BreakGlassAccessRequested':
    case 'BreakGlassAccessGranted':
    case 'BreakGlassAccessEnded':
    case 'BreakGlassAccessExpired':
    case 'RefreshTokenReuseDetected':
      return 'alert';
    case 'UserSignInFailed':
    case 'UserLockedOut':
    case 'UserUnlocked':
    case 'MfaReset':
    case 'RecoveryCodeUsed':
    case 'UserRoleChanged':
    case 'UserDisabled':
    case 'UserEnabled':
    case 'SessionRevoked':
    case 'TenantSettingsChanged':
      return 'warning';
    case 'TenantCreated':
    case 'UserRegistered':
    case 'UserPasswordSet':
    case 'TotpEnrolmentStarted':
    case 'TotpEnrolmentConfirmed':
    case 'RecoveryCodesGenerated':
    case 'UserSignedIn':
    case 'SessionStarted':
    case 'RefreshTokenRotated':
    case 'SessionActivityRecorded':
    case 'SessionIdleTimedOut':
    case 'SessionExpired':
    case 'SessionLoggedOut':
      return 'info';
    default: {
      const _exhaustive: never = event;
      return 'alert';
    }
  }
}
