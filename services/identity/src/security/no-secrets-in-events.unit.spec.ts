import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { foldEvents, type Decider, type DomainEvent } from '@medspa/eventstore';
import {
  DEFAULT_LOCKOUT_POLICY,
  sessionDecider,
  userDecider,
  type SessionCommand,
  type UserCommand,
  type UserEvent,
} from '../domain/index.js';
import { createPasswordHasher } from './password-hasher.js';
import { generateRecoveryCodes, hashRecoveryCode } from './recovery-codes.js';
import { issueRefreshToken, presentedRefreshToken } from './refresh-token.js';
import { createTotp, totpProof } from './totp.js';

// A stand-in for libs/crypto's field cipher: the test only needs the secret to leave encrypted.
const key = randomBytes(32);
const encrypt = (plain: string): string => {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  return `phi:${Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]).toString('base64url')}`;
};

function run<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, commands: C[]): E[] {
  const events: E[] = [];
  for (const command of commands) events.push(...decider.decide(command, foldEvents(decider, events)));
  return events;
}

describe('identity events carry no secrets', () => {
  it('holds no password, TOTP secret or code, recovery code, or refresh token after a full flow', async () => {
    const password = 'lilac-harbour-fennel-42';
    const totp = createTotp({ issuer: 'MedSpa' });
    const secret = totp.generateSecret();
    const t0 = new Date('2025-03-01T09:00:00Z');
    const t1 = new Date(t0.getTime() + 60_000);
    const enrolCode = await totp.generate(secret, t0);
    const { codes, hashes } = generateRecoveryCodes('u-1');
    const recoveryCode = codes[2]!;

    const userEvents: UserEvent[] = run(userDecider, [
      {
        type: 'RegisterUser',
        userId: 'u-1',
        tenantId: 't-1',
        role: 'provider',
        emailLookup: 'idx',
        emailCiphertext: encrypt('dr@example.com'),
        at: t0,
      },
      {
        type: 'SetPassword',
        passwordHash: await createPasswordHasher().hash(password),
        reason: 'initial',
        at: t0,
      },
      { type: 'StartTotpEnrolment', secretRef: encrypt(secret), at: t0 },
      {
        type: 'ConfirmTotpEnrolment',
        matchedTimeStep: totpProof(await totp.verify({ secret, code: enrolCode, at: t0 })).matchedTimeStep,
        at: t0,
      },
      { type: 'GenerateRecoveryCodes', codeHashes: hashes, at: t0 },
      {
        type: 'SignIn',
        sessionId: 's-1',
        passwordValid: true,
        lockoutPolicy: DEFAULT_LOCKOUT_POLICY,
        secondFactor: { kind: 'recovery_code', codeHash: hashRecoveryCode('u-1', recoveryCode) },
        at: t1,
      },
    ] satisfies UserCommand[]);
    expect(userEvents.map((e) => e.type)).toContain('RecoveryCodeUsed');

    const first = issueRefreshToken('s-1');
    const second = issueRefreshToken('s-1');
    const sessionEvents = run(sessionDecider, [
      {
        type: 'StartSession',
        sessionId: 's-1',
        userId: 'u-1',
        tenantId: 't-1',
        refreshToken: first,
        idleTimeoutSeconds: 900,
        lifetimeSeconds: 86_400,
        at: t1,
      },
      { type: 'RefreshSession', presented: presentedRefreshToken(first.token)!, next: second, at: t1 },
    ] satisfies SessionCommand[]);
    expect(sessionEvents.map((e) => e.type)).toEqual(['SessionStarted', 'RefreshTokenRotated']);

    const stored = JSON.stringify([...userEvents, ...sessionEvents]);
    const secrets = [
      password,
      secret,
      enrolCode,
      'dr@example.com',
      ...codes,
      ...codes.map((c) => c.replaceAll('-', '')),
    ];
    secrets.push(first.token, second.token, first.token.split('.')[3]!, second.token.split('.')[3]!);
    for (const s of secrets) expect(stored).not.toContain(s);
  });
});
