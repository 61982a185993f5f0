import { describe, expect, it } from 'vitest';
import {
  AuditSeverity,
  BreakGlassAccessChanged,
  UserSignInFailed,
} from '@medspa/contracts/medspa.identity.v1';
import { createOutboxMapper } from '@medspa/messaging';
import type { IdentityEvent } from '../domain/audit-severity.js';
import { DEFAULT_TENANT_SETTINGS } from '../domain/tenant/settings.js';
import { isoAfter, PASSWORD_HASH, RECOVERY_HASHES, SECRET_REF, T0 } from '../domain/unit-fixtures.js';
import { identityIntegrationEvent } from './integration-events.js';

const at = T0.toISOString();
const TOKEN_HASH = 'A'.repeat(43);
const REASON = 'Patient Jane Canary collapsed; allergy list needed';
const EMAIL_CIPHERTEXT = 'phi:email-ciphertext-canary';
const EMAIL_LOOKUP = 'lookup-canary-0123456789';

// One of every event type, carrying every secret-shaped value the domain holds.
const every: IdentityEvent[] = [
  { type: 'TenantCreated', data: { tenantId: 't', name: 'Glow', settings: DEFAULT_TENANT_SETTINGS, at } },
  { type: 'TenantSettingsChanged', data: { settings: DEFAULT_TENANT_SETTINGS, at } },
  {
    type: 'UserRegistered',
    data: {
      userId: 'u',
      tenantId: 't',
      role: 'provider',
      emailLookup: EMAIL_LOOKUP,
      emailCiphertext: EMAIL_CIPHERTEXT,
      at,
    },
  },
  { type: 'UserPasswordSet', data: { passwordHash: PASSWORD_HASH, reason: 'change', at } },
  { type: 'TotpEnrolmentStarted', data: { secretRef: SECRET_REF, at } },
  { type: 'TotpEnrolmentConfirmed', data: { timeStep: 1, at } },
  { type: 'MfaReset', data: { at } },
  { type: 'RecoveryCodesGenerated', data: { codeHashes: RECOVERY_HASHES, at } },
  { type: 'RecoveryCodeUsed', data: { codeHash: RECOVERY_HASHES[0]!, remaining: 9, at } },
  { type: 'UserSignedIn', data: { sessionId: 's', secondFactor: 'totp', totpTimeStep: 2, at } },
  { type: 'UserSignInFailed', data: { reason: 'totp_replayed', consecutiveFailures: 2, at } },
  { type: 'UserLockedOut', data: { lockoutNumber: 1, lockedUntil: isoAfter(60), at } },
  { type: 'UserUnlocked', data: { at } },
  { type: 'UserDisabled', data: { at } },
  { type: 'UserEnabled', data: { at } },
  { type: 'UserRoleChanged', data: { from: 'front_desk', to: 'billing', at } },
  {
    type: 'SessionStarted',
    data: {
      sessionId: 's',
      userId: 'u',
      tenantId: 't',
      tokenId: 'k1',
      tokenHash: TOKEN_HASH,
      idleTimeoutSeconds: 900,
      expiresAt: isoAfter(86400),
      at,
    },
  },
  { type: 'RefreshTokenRotated', data: { previousTokenId: 'k1', tokenId: 'k2', tokenHash: TOKEN_HASH, at } },
  { type: 'SessionActivityRecorded', data: { at } },
  { type: 'RefreshTokenReuseDetected', data: { tokenId: 'k1', at } },
  { type: 'SessionRevoked', data: { reason: 'refresh_token_reuse', at } },
  { type: 'SessionIdleTimedOut', data: { lastActivityAt: at, at } },
  { type: 'SessionExpired', data: { expiresAt: at, at } },
  { type: 'SessionLoggedOut', data: { at } },
  {
    type: 'BreakGlassAccessRequested',
    data: {
      grantId: 'g',
      sessionId: 's',
      userId: 'u',
      tenantId: 't',
      role: 'front_desk',
      reason: REASON,
      at,
    },
  },
  { type: 'BreakGlassAccessGranted', data: { grantId: 'g', expiresAt: isoAfter(3600), at } },
  { type: 'BreakGlassAccessEnded', data: { grantId: 'g', at } },
  { type: 'BreakGlassAccessExpired', data: { grantId: 'g', expiresAt: isoAfter(3600), at } },
];

const toOutbox = createOutboxMapper<IdentityEvent>({ service: 'identity', map: identityIntegrationEvent });
const metadata = { tenantId: 't-1', actor: { id: 'u', role: 'provider' }, correlationId: 'c' };
const outbox = (event: IdentityEvent) =>
  toOutbox({ event, eventId: 'e', streamId: 'stream-1', streamType: 'user', metadata, occurredAt: T0 });

describe('identity integration events', () => {
  it('map every domain event to a medspa.identity.v1 message on the identity topic', () => {
    for (const event of every) {
      const message = outbox(event);
      expect(message.topic).toBe('medspa.identity.events.v1');
      expect(message.type).toMatch(/^medspa\.identity\.v1\.[A-Z]\w+$/);
      expect(message.key).toBe('stream-1');
    }
  });

  it('carry no hash, ciphertext, blind index or break-glass reason', () => {
    const secrets = [
      PASSWORD_HASH,
      SECRET_REF,
      EMAIL_CIPHERTEXT,
      EMAIL_LOOKUP,
      TOKEN_HASH,
      REASON,
      ...RECOVERY_HASHES,
    ];
    for (const event of every) {
      const bytes = Buffer.from(outbox(event).payload).toString('latin1');
      for (const secret of secrets) expect(bytes).not.toContain(secret);
    }
  });

  it('flag break-glass and token reuse as alerts, failures as warnings', () => {
    const requested = BreakGlassAccessChanged.decode(outbox(every[24]!).payload);
    expect(requested).toMatchObject({
      severity: AuditSeverity.AUDIT_SEVERITY_ALERT,
      grantId: 'g',
      sessionId: 's',
    });
    const failed = UserSignInFailed.decode(outbox(every[10]!).payload);
    expect(failed).toMatchObject({
      severity: AuditSeverity.AUDIT_SEVERITY_WARNING,
      consecutiveFailures: 2,
      tenantId: 't-1',
    });
  });
});
