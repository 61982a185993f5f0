import type { UserRole } from '@medspa/auth';
import {
  AuditSeverity,
  BreakGlassAccessChanged,
  BreakGlassAccessChanged_Change as BreakGlassChange,
  RecoveryCodeUsed,
  RefreshTokenReuseDetected,
  Role,
  SecondFactor,
  SessionActivity,
  SessionEnded,
  SessionEnded_Reason as EndReason,
  SessionStarted,
  TenantCreated,
  TenantSettingsChanged,
  UserAccountChanged,
  UserAccountChanged_Change as AccountChange,
  UserLockedOut,
  UserSignedIn,
  UserSignInFailed,
  UserSignInFailed_Reason as FailureReason,
} from '@medspa/contracts/medspa.identity.v1';
import { integrationEvent, type IntegrationEvent, type MappedEvent } from '@medspa/messaging';
import { auditSeverity, type IdentityEvent } from '../domain/audit-severity.js';
import type { SecondFactorUsed, SignInFailureReason } from '../domain/user/user.js';
import { roleToProto } from './grpc/roles.js';

/*
 * The one mapping from identity's domain events to its integration events. Ids, codes and instants
 * only: a password hash, token hash, TOTP secret reference, recovery-code hash, e-mail ciphertext or
 * break-glass reason never leaves the service (the switch is exhaustive, so every new event type
 * must be looked at here before it compiles).
 */

const PKG = 'medspa.identity.v1';
const SEVERITY = {
  info: AuditSeverity.AUDIT_SEVERITY_INFO,
  warning: AuditSeverity.AUDIT_SEVERITY_WARNING,
  alert: AuditSeverity.AUDIT_SEVERITY_ALERT,
};

const SECOND_FACTOR: Record<SecondFactorUsed, SecondFactor> = {
  none: SecondFactor.SECOND_FACTOR_NONE,
  totp: SecondFactor.SECOND_FACTOR_TOTP,
  recovery_code: SecondFactor.SECOND_FACTOR_RECOVERY_CODE,
};
const FAILURE: Record<SignInFailureReason, FailureReason> = {
  bad_password: FailureReason.REASON_BAD_PASSWORD,
  bad_totp: FailureReason.REASON_BAD_TOTP,
  totp_replayed: FailureReason.REASON_TOTP_REPLAYED,
  bad_recovery_code: FailureReason.REASON_BAD_RECOVERY_CODE,
};

export function identityIntegrationEvent(appended: MappedEvent<IdentityEvent>): IntegrationEvent {
  const { event, streamId, metadata } = appended;
  const tenantId = metadata.tenantId;
  const severity = SEVERITY[auditSeverity(event)];
  const occurredAt = new Date(event.data.at);
  const common = { tenantId, occurredAt, severity };
  const account = (
    change: AccountChange,
    extra: { role?: UserRole; previousRole?: UserRole; reason?: string } = {},
  ) =>
    integrationEvent(`${PKG}.UserAccountChanged`, UserAccountChanged, {
      ...common,
      userId: streamId,
      change,
      role: extra.role === undefined ? Role.ROLE_UNSPECIFIED : roleToProto(extra.role),
      previousRole:
        extra.previousRole === undefined ? Role.ROLE_UNSPECIFIED : roleToProto(extra.previousRole),
      passwordSetReason: extra.reason ?? '',
    });
  const ended = (reason: EndReason, revocationReason = '') =>
    integrationEvent(`${PKG}.SessionEnded`, SessionEnded, {
      ...common,
      sessionId: streamId,
      reason,
      revocationReason,
    });
  const breakGlass = (
    change: BreakGlassChange,
    grantId: string,
    extra: Partial<BreakGlassAccessChanged> = {},
  ) =>
    integrationEvent(`${PKG}.BreakGlassAccessChanged`, BreakGlassAccessChanged, {
      ...common,
      grantId,
      change,
      sessionId: '',
      userId: '',
      role: Role.ROLE_UNSPECIFIED,
      expiresAt: undefined,
      ...extra,
    });

  switch (event.type) {
    case 'TenantCreated':
      return integrationEvent(`${PKG}.TenantCreated`, TenantCreated, common);
    case 'TenantSettingsChanged': {
      const s = event.data.settings;
      return integrationEvent(`${PKG}.TenantSettingsChanged`, TenantSettingsChanged, {
        ...common,
        lockoutThreshold: s.lockout.threshold,
        idleTimeoutMinutes: s.idleTimeoutMinutes,
        sessionLifetimeHours: s.sessionLifetimeHours,
        breakGlassMinutes: s.breakGlassMinutes,
      });
    }
    case 'UserRegistered':
      return account(AccountChange.CHANGE_REGISTERED, { role: event.data.role });
    case 'UserPasswordSet':
      return account(AccountChange.CHANGE_PASSWORD_SET, { reason: event.data.reason });
    case 'TotpEnrolmentStarted':
      return account(AccountChange.CHANGE_MFA_ENROLMENT_STARTED);
    case 'TotpEnrolmentConfirmed':
      return account(AccountChange.CHANGE_MFA_ENROLLED);
    case 'MfaReset':
      return account(AccountChange.CHANGE_MFA_RESET);
    case 'RecoveryCodesGenerated':
      return account(AccountChange.CHANGE_RECOVERY_CODES_GENERATED);
    case 'UserUnlocked':
      return account(AccountChange.CHANGE_UNLOCKED);
    case 'UserDisabled':
      return account(AccountChange.CHANGE_DISABLED);
    case 'UserEnabled':
      return account(AccountChange.CHANGE_ENABLED);
    case 'UserRoleChanged':
      return account(AccountChange.CHANGE_ROLE_CHANGED, {
        role: event.data.to,
        previousRole: event.data.from,
      });
    case 'RecoveryCodeUsed':
      return integrationEvent(`${PKG}.RecoveryCodeUsed`, RecoveryCodeUsed, {
        ...common,
        userId: streamId,
        remaining: event.data.remaining,
      });
    case 'UserSignedIn':
      return integrationEvent(`${PKG}.UserSignedIn`, UserSignedIn, {
        ...common,
        userId: streamId,
        sessionId: event.data.sessionId,
        secondFactor: SECOND_FACTOR[event.data.secondFactor],
      });
    case 'UserSignInFailed':
      return integrationEvent(`${PKG}.UserSignInFailed`, UserSignInFailed, {
        ...common,
        userId: streamId,
        reason: FAILURE[event.data.reason],
        consecutiveFailures: event.data.consecutiveFailures,
      });
    case 'UserLockedOut':
      return integrationEvent(`${PKG}.UserLockedOut`, UserLockedOut, {
        ...common,
        userId: streamId,
        lockoutNumber: event.data.lockoutNumber,
        lockedUntil: new Date(event.data.lockedUntil),
      });
    case 'SessionStarted':
      return integrationEvent(`${PKG}.SessionStarted`, SessionStarted, {
        ...common,
        sessionId: streamId,
        userId: event.data.userId,
        expiresAt: new Date(event.data.expiresAt),
        idleTimeoutSeconds: event.data.idleTimeoutSeconds,
      });
    case 'RefreshTokenRotated':
      return integrationEvent(`${PKG}.SessionActivity`, SessionActivity, {
        ...common,
        sessionId: streamId,
        previousTokenId: event.data.previousTokenId,
        tokenId: event.data.tokenId,
      });
    case 'SessionActivityRecorded':
      return integrationEvent(`${PKG}.SessionActivity`, SessionActivity, {
        ...common,
        sessionId: streamId,
        previousTokenId: '',
        tokenId: '',
      });
    case 'RefreshTokenReuseDetected':
      return integrationEvent(`${PKG}.RefreshTokenReuseDetected`, RefreshTokenReuseDetected, {
        ...common,
        sessionId: streamId,
        tokenId: event.data.tokenId,
      });
    case 'SessionRevoked':
      return ended(EndReason.REASON_REVOKED, event.data.reason);
    case 'SessionIdleTimedOut':
      return ended(EndReason.REASON_IDLE_TIMEOUT);
    case 'SessionExpired':
      return ended(EndReason.REASON_EXPIRED);
    case 'SessionLoggedOut':
      return ended(EndReason.REASON_LOGGED_OUT);
    case 'BreakGlassAccessRequested':
      return breakGlass(BreakGlassChange.CHANGE_REQUESTED, event.data.grantId, {
        sessionId: event.data.sessionId,
        userId: event.data.userId,
        role: roleToProto(event.data.role),
      });
    case 'BreakGlassAccessGranted':
      return breakGlass(BreakGlassChange.CHANGE_GRANTED, event.data.grantId, {
        expiresAt: new Date(event.data.expiresAt),
      });
    case 'BreakGlassAccessEnded':
      return breakGlass(BreakGlassChange.CHANGE_ENDED, event.data.grantId);
    case 'BreakGlassAccessExpired':
      return breakGlass(BreakGlassChange.CHANGE_EXPIRED, event.data.grantId, {
        expiresAt: new Date(event.data.expiresAt),
      });
    default: {
      const _exhaustive: never = event;
      throw new Error('Unmapped identity event');
    }
  }
}
