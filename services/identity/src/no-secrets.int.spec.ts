import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '@medspa/contracts/medspa.identity.v1';
import { newId } from '@medspa/eventstore';
import { scanPostgres, type Canary } from '@medspa/testing';
import pg from 'pg';
import { ARGON2_MINIMUM } from './security/password-hasher.js';
import { codeFor, createClinic, startHarness, type IdentityHarness } from './testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const canary = (value: string, ...more: string[]): Canary => ({
  field: 'note',
  value,
  needles: [value, ...more],
});

describe('secrets never stored or logged', () => {
  it('keeps passwords, TOTP secrets, recovery codes, tokens and e-mail addresses out of events, outbox, tables and logs', async () => {
    const clinic = await createClinic(h);
    const secrets: Canary[] = [];
    const password = `canary passphrase ${newId()}`;
    const email = `canary-${newId()}@mail.example`;
    secrets.push(canary(password), canary(email), canary(clinic.ownerEmail));

    // The owner's full journey: enrolment-only token, TOTP, recovery codes, tokens.
    const first = await h.client().signIn({
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
      password: 'a sturdy passphrase for staff',
    });
    if (first.result?.$case !== 'enrolmentRequired') throw new Error('expected enrolment');
    const enrolmentToken = first.result.value.enrolmentToken;
    const enrolled = h.client(enrolmentToken);
    const { secret } = await enrolled.startTotpEnrolment({});
    const { recoveryCodes } = await enrolled.confirmTotpEnrolment({ code: await codeFor(h, secret) });
    h.clock.advance(30);
    const challenge = await h.client().signIn({
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
      password: 'a sturdy passphrase for staff',
    });
    if (challenge.result?.$case !== 'mfaRequired') throw new Error('expected a challenge');
    const challengeToken = challenge.result.value.challengeToken;
    const tokens = (
      await h.client().verifyMfa({
        tenantId: clinic.tenantId,
        challengeToken,
        secondFactor: { $case: 'totpCode', value: await codeFor(h, secret) },
      })
    ).tokens!;
    const rotated = (await h.client().refresh({ refreshToken: tokens.refreshToken })).tokens!;

    // A patient with the canary password and address, signed in and failing once.
    const owner = h.client(rotated.accessToken);
    const { userId } = await owner.createUser({ email, role: Role.ROLE_PATIENT });
    await owner.setPassword({ userId, newPassword: password, currentPassword: '' });
    await h
      .client()
      .signIn({ tenantId: clinic.tenantId, email, password: `${password}x` })
      .catch(() => undefined);
    const patient = await h.client().signIn({ tenantId: clinic.tenantId, email, password });
    if (patient.result?.$case !== 'tokens') throw new Error('expected tokens');
    const reason = `Unresponsive patient ${newId()}, allergy check needed`;
    const breakGlass = await owner.requestBreakGlass({ reason, durationMinutes: 5 });

    const signature = (jwt: string) => jwt.split('.')[2] as string;
    const tail = (token: string) => token.split('.').at(-1) as string;
    secrets.push(
      canary(secret),
      ...recoveryCodes.map((c) => canary(c, c.replaceAll('-', ''))),
      ...[
        enrolmentToken,
        tokens.accessToken,
        rotated.accessToken,
        patient.result.value.accessToken,
        breakGlass.accessToken,
      ].map((t) => canary(t, signature(t))),
      ...[tokens.refreshToken, rotated.refreshToken, patient.result.value.refreshToken, challengeToken].map(
        (t) => canary(t, tail(t)),
      ),
    );

    expect(await scanPostgres(h.db.adminUrl, secrets, { schemas: ['identity'] })).toEqual([]);
    // Control: the scanner does read the log. The break-glass reason is kept there for review (and
    // only there: never in the outbox).
    const reasonHits = await scanPostgres(h.db.adminUrl, [canary(reason)], { schemas: ['identity'] });
    expect(reasonHits.map((hit) => hit.location.replace(/@.*/, ''))).toEqual([
      'postgres:identity.events.data',
    ]);
    expect(h.logs.findCanaries(secrets)).toEqual([]);
    expect(h.logs.text()).toContain('BREAK-GLASS'); // the capture does see the service's log lines

    // The outbox carries one message per event, and none carries a hash or a ciphertext either.
    const admin = new pg.Client({ connectionString: h.db.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ payload: Buffer; message_type: string }>(
        'SELECT payload, message_type FROM identity.outbox',
      );
      const events = await h.events();
      expect(rows).toHaveLength(events.length);
      const stored = events.flatMap((e) =>
        ['passwordHash', 'secretRef', 'emailCiphertext', 'emailLookup', 'tokenHash', 'reason']
          .map((k) => e.data[k])
          .filter((v): v is string => typeof v === 'string' && v.length > 20),
      );
      expect(stored.length).toBeGreaterThan(5);
      for (const row of rows) {
        const text = row.payload.toString('latin1');
        for (const value of stored) expect(text).not.toContain(value);
        expect(text).not.toContain('$argon2id$');
      }
      expect(new Set(rows.map((r) => r.message_type))).toContain(
        'medspa.identity.v1.BreakGlassAccessChanged',
      );
    } finally {
      await admin.end();
    }
  });

  it('hashes passwords with argon2id at m >= 19 MiB, t >= 2, p >= 1', async () => {
    await createClinic(h);
    const hashes = (await h.events('UserPasswordSet')).map((e) => e.data.passwordHash as string);
    expect(hashes.length).toBeGreaterThan(0);
    for (const hash of hashes) {
      const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(hash);
      expect(match).not.toBeNull();
      const [, m, t, p] = match!.map(Number) as [number, number, number, number];
      expect(m).toBeGreaterThanOrEqual(19_456);
      expect(t).toBeGreaterThanOrEqual(2);
      expect(p).toBeGreaterThanOrEqual(1);
    }
    expect(h.service.app.hasher.params.memoryKiB).toBeGreaterThanOrEqual(ARGON2_MINIMUM.memoryKiB);
    expect(ARGON2_MINIMUM).toEqual({ memoryKiB: 19_456, timeCost: 2, parallelism: 1 });
  });
});
