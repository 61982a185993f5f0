import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@medspa/contracts/medspa.identity.v1';
import { newId } from '@medspa/eventstore';
import { ENROLMENT_AUDIENCE } from './security/identity-verifier.js';
import { createPasswordHasher } from './security/password-hasher.js';
import {
  codeFor,
  createClinic,
  enrolAndSignIn,
  PASSWORD,
  rejection,
  signInWithTotp,
  startHarness,
  type IdentityHarness,
} from './testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('sign-in with MFA', () => {
  it('takes staff from password to enrolment to TOTP, with tokens another service verifies via GetJwks', async () => {
    const clinic = await createClinic(h);
    const first = await h
      .client()
      .signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
    expect(first.result?.$case).toBe('enrolmentRequired');
    if (first.result?.$case !== 'enrolmentRequired') return;
    const enrolmentToken = first.result.value.enrolmentToken;

    // Never PHI-capable: every other service verifies aud=medspa and refuses it ...
    expect(await rejection(h.verifier().verify(enrolmentToken))).toMatchObject({
      reason: 'TOKEN_WRONG_AUDIENCE',
    });
    // ... and identity itself lets it do nothing but enrol.
    expect(
      await rejection(
        h.client(enrolmentToken).createUser({ email: 'x@clinic.example', role: Role.ROLE_PROVIDER }),
      ),
    ).toMatchObject({ reason: 'MFA_ENROLMENT_REQUIRED', kind: 'forbidden' });
    expect(
      await rejection(
        h.client(enrolmentToken).requestBreakGlass({ reason: 'x'.repeat(30), durationMinutes: 0 }),
      ),
    ).toMatchObject({ reason: 'MFA_ENROLMENT_REQUIRED' });
    const enrolmentPrincipal = await h.verifier({ audience: ENROLMENT_AUDIENCE }).verify(enrolmentToken);
    expect(enrolmentPrincipal).toMatchObject({
      userId: clinic.ownerUserId,
      tenantId: clinic.tenantId,
      role: 'owner',
    });

    const enrolled = h.client(enrolmentToken);
    const started = await enrolled.startTotpEnrolment({});
    expect(started.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(await rejection(enrolled.confirmTotpEnrolment({ code: '000000' }))).toMatchObject({
      reason: 'MFA_CODE_INVALID',
    });
    const { recoveryCodes } = await enrolled.confirmTotpEnrolment({ code: await codeFor(h, started.secret) });
    expect(recoveryCodes).toHaveLength(10);
    h.clock.advance(30);

    const challenge = await h
      .client()
      .signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
    expect(challenge.result?.$case).toBe('mfaRequired');
    if (challenge.result?.$case !== 'mfaRequired') return;
    const verified = await h.client().verifyMfa({
      tenantId: clinic.tenantId,
      challengeToken: challenge.result.value.challengeToken,
      secondFactor: { $case: 'totpCode', value: await codeFor(h, started.secret) },
    });
    const tokens = verified.tokens!;
    const principal = await h.verifier().verify(tokens.accessToken);
    expect(principal).toMatchObject({
      userId: clinic.ownerUserId,
      tenantId: clinic.tenantId,
      role: 'owner',
      sessionId: tokens.sessionId,
      isService: false,
    });
    expect(tokens.accessTokenExpiresAt!.getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(900_000);
    // A challenge works once.
    expect(
      await rejection(
        h.client().verifyMfa({
          tenantId: clinic.tenantId,
          challengeToken: challenge.result.value.challengeToken,
          secondFactor: { $case: 'totpCode', value: await codeFor(h, started.secret) },
        }),
      ),
    ).toMatchObject({ reason: 'MFA_CHALLENGE_INVALID' });
  });

  it('refuses a replayed TOTP code and accepts each recovery code once', async () => {
    const clinic = await createClinic(h);
    const { secret, recoveryCodes } = await enrolAndSignIn(h, {
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
    });
    const challenge = async () => {
      const r = await h
        .client()
        .signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
      if (r.result?.$case !== 'mfaRequired') throw new Error('expected a challenge');
      return r.result.value.challengeToken;
    };
    // The code of the step just used to sign in is a replay.
    expect(
      await rejection(
        h.client().verifyMfa({
          tenantId: clinic.tenantId,
          challengeToken: await challenge(),
          secondFactor: { $case: 'totpCode', value: await codeFor(h, secret) },
        }),
      ),
    ).toMatchObject({ reason: 'MFA_CODE_INVALID' });
    const code = recoveryCodes[0]!;
    const viaRecovery = await h.client().verifyMfa({
      tenantId: clinic.tenantId,
      challengeToken: await challenge(),
      secondFactor: { $case: 'recoveryCode', value: code.toLowerCase() },
    });
    expect(viaRecovery.tokens?.accessToken).toBeTruthy();
    expect(
      await rejection(
        h.client().verifyMfa({
          tenantId: clinic.tenantId,
          challengeToken: await challenge(),
          secondFactor: { $case: 'recoveryCode', value: code },
        }),
      ),
    ).toMatchObject({ reason: 'MFA_CODE_INVALID' });
    const used = await h.events('RecoveryCodeUsed');
    expect(used.some((e) => e.stream_id === clinic.ownerUserId)).toBe(true);
  });

  it('lets an owner create staff (staff:manage) and refuses the roles without it', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const owner = h.client(tokens.accessToken);
    const email = `provider-${newId()}@clinic.example`;
    const { userId } = await owner.createUser({ email, role: Role.ROLE_PROVIDER });
    await owner.setPassword({ userId, newPassword: 'provider passphrase one', currentPassword: '' });
    expect(
      await rejection(owner.createUser({ email: email.toUpperCase(), role: Role.ROLE_BILLING })),
    ).toMatchObject({
      reason: 'EMAIL_TAKEN',
    });
    expect(
      await rejection(owner.createUser({ email: 'not-an-address', role: Role.ROLE_BILLING })),
    ).toMatchObject({
      reason: 'INVALID_EMAIL',
      kind: 'validation',
    });
    expect(
      await rejection(owner.createUser({ email: 'a@b.example', role: Role.ROLE_UNSPECIFIED })),
    ).toMatchObject({
      reason: 'ROLE_INVALID',
    });
    const provider = await enrolAndSignIn(h, {
      tenantId: clinic.tenantId,
      email,
      password: 'provider passphrase one',
    });
    expect(
      await rejection(
        h
          .client(provider.tokens.accessToken)
          .createUser({ email: 'x@clinic.example', role: Role.ROLE_FRONT_DESK }),
      ),
    ).toMatchObject({ reason: 'PERMISSION_DENIED', kind: 'forbidden' });
    // Another clinic's user is not found, never "forbidden".
    const other = await createClinic(h);
    expect(
      await rejection(
        owner.setPassword({
          userId: other.ownerUserId,
          newPassword: 'another passphrase x',
          currentPassword: '',
        }),
      ),
    ).toMatchObject({ reason: 'USER_NOT_FOUND', kind: 'not_found' });
    // Only the platform creates clinics.
    expect(
      await rejection(
        owner.createTenant({ name: 'Rogue', ownerEmail: 'r@x.example', ownerPassword: PASSWORD }),
      ),
    ).toMatchObject({ reason: 'PERMISSION_DENIED' });
  });

  it('signs a patient without MFA straight in, and answers unknown accounts like wrong passwords', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const email = `patient-${newId()}@mail.example`;
    const { userId } = await h.client(tokens.accessToken).createUser({ email, role: Role.ROLE_PATIENT });
    await h
      .client(tokens.accessToken)
      .setPassword({ userId, newPassword: 'patient passphrase 1', currentPassword: '' });
    const signedIn = await h
      .client()
      .signIn({ tenantId: clinic.tenantId, email, password: 'patient passphrase 1' });
    expect(signedIn.result?.$case).toBe('tokens');
    if (signedIn.result?.$case === 'tokens') {
      expect(await h.verifier().verify(signedIn.result.value.accessToken)).toMatchObject({
        userId,
        role: 'patient',
      });
    }
    for (const attempt of [
      { tenantId: clinic.tenantId, email: 'nobody@mail.example', password: PASSWORD },
      { tenantId: newId(), email, password: 'patient passphrase 1' },
      { tenantId: 'not-a-uuid', email, password: 'patient passphrase 1' },
      { tenantId: clinic.tenantId, email, password: 'wrong passphrase 12' },
    ]) {
      expect(await rejection(h.client().signIn(attempt))).toMatchObject({
        reason: 'INVALID_CREDENTIALS',
        kind: 'unauthenticated',
      });
    }
  });

  it('refuses tampered, foreign-audience and unsigned tokens at the verifier and at identity', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const [header, payload, signature] = tokens.accessToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'provider' })).toString('base64url');
    const tampered = `${header}.${forged}.${signature}`;
    expect(await rejection(h.verifier().verify(tampered))).toMatchObject({ reason: 'TOKEN_INVALID' });
    expect(await rejection(h.client(tampered).logout({}))).toMatchObject({ kind: 'unauthenticated' });
    expect(
      await rejection(h.verifier({ audience: 'another-platform' }).verify(tokens.accessToken)),
    ).toMatchObject({
      reason: 'TOKEN_WRONG_AUDIENCE',
    });
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expect(await rejection(h.verifier().verify(unsigned))).toMatchObject({ kind: 'unauthenticated' });
    expect(await rejection(h.client().logout({}))).toMatchObject({ kind: 'unauthenticated' });
  });

  it('signs in with TOTP after a restart, with the earlier tokens still verifying', async () => {
    const clinic = await createClinic(h);
    const { tokens, secret } = await enrolAndSignIn(h, {
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
    });
    await h.restart();
    expect(await h.verifier().verify(tokens.accessToken)).toMatchObject({ userId: clinic.ownerUserId });
    h.clock.advance(30);
    const again = await signInWithTotp(h, {
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
      password: PASSWORD,
      secret,
    });
    expect(await h.verifier().verify(again.accessToken)).toMatchObject({ userId: clinic.ownerUserId });
  });

  it('upgrades a stale argon2 hash at the next sign-in', async () => {
    const clinic = await createClinic(h);
    await h.restart({ hasher: createPasswordHasher({ memoryKiB: 19_456, timeCost: 3, parallelism: 1 }) });
    try {
      await h.client().signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
      const sets = (await h.events('UserPasswordSet')).filter((e) => e.stream_id === clinic.ownerUserId);
      expect(sets.map((e) => e.data.reason)).toEqual(['initial', 'rehash']);
      expect(sets[1]?.data.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
      // The new hash verifies the same password.
      const again = await h
        .client()
        .signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
      expect(again.result?.$case).toBe('enrolmentRequired');
    } finally {
      await h.restart();
    }
  });

  it('lets only one of two concurrent CreateUser calls claim an address', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const email = `twice-${newId()}@clinic.example`;
    const results = await Promise.allSettled(
      [Role.ROLE_FRONT_DESK, Role.ROLE_BILLING].map((role) =>
        h.client(tokens.accessToken).createUser({ email, role }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { reason: 'EMAIL_TAKEN' } });
  });
});
