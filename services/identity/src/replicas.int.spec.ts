import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '@medspa/eventstore';
import type { IdentityContext } from './app/context.js';
import { signIn } from './app/sign-in.js';
import { rememberedState } from './app/stream-states.js';
import { storePassword } from './app/users.js';
import { composeIdentity } from './composition.js';
import { tenantDecider } from './domain/tenant/decide.js';
import { userDecider, type UserCommand } from './domain/user/decide.js';
import {
  createClinic,
  enrolAndSignIn,
  PASSWORD,
  rejection,
  startHarness,
  type IdentityHarness,
} from './testing/harness.js';

/*
 * Two replicas of identity on one database: `here` (the harness's service) remembers tenant and
 * user states between sign-ins; `there` changes them. Every change must hold at the very next
 * sign-in here, however recently here remembered the old state.
 */
let h: IdentityHarness;
let there: IdentityContext;
let closeThere: () => Promise<void>;
beforeAll(async () => {
  h = await startHarness();
  const replica = await composeIdentity(h.config, {
    now: h.clock.now,
    kms: h.kms,
    logger: h.service.app.logger,
  });
  there = replica.app;
  closeThere = replica.close;
});
afterAll(async () => {
  await closeThere?.();
  await h?.close();
});

const actor = { id: 'admin', role: 'owner' };
const here = (): IdentityContext => h.service.app;

/** A clinic whose owner signed in here once, so that here remembers both streams. */
async function rememberedClinic() {
  const clinic = await createClinic(h);
  const attempt = (password = PASSWORD) =>
    signIn(here(), { tenantId: clinic.tenantId, email: clinic.ownerEmail, password, requestId: 'r' });
  expect((await attempt()).kind).toBe('enrolment_required');
  const user = { streamId: clinic.ownerUserId, decider: userDecider };
  expect(rememberedState(here().store, clinic.tenantId, user)).toMatchObject({ status: 'active' });
  const changeUser = (command: UserCommand) =>
    handleCommand(there.store, userDecider, {
      streamId: clinic.ownerUserId,
      streamType: 'user',
      command,
      metadata: { tenantId: clinic.tenantId, actor, correlationId: 'r' },
    });
  return { ...clinic, attempt, changeUser };
}

describe('states remembered by one replica', () => {
  it('take a password changed on another replica at the next sign-in', async () => {
    const clinic = await rememberedClinic();
    const newPassword = 'another sturdy passphrase';
    await storePassword(there, {
      ...clinic,
      userId: clinic.ownerUserId,
      password: newPassword,
      reason: 'reset',
      actor,
      requestId: 'r',
    });
    expect(await rejection(clinic.attempt())).toMatchObject({ reason: 'INVALID_CREDENTIALS' });
    expect((await clinic.attempt(newPassword)).kind).toBe('enrolment_required');
  });

  it('take a lockout from failures on another replica at the next sign-in', async () => {
    // Enrolled in MFA: the password step then writes nothing, so only the state read here decides.
    const clinic = await rememberedClinic();
    await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    expect((await clinic.attempt()).kind).toBe('mfa_required');
    for (let i = 0; i < 5; i++) {
      await rejection(
        signIn(there, { ...clinic, email: clinic.ownerEmail, password: `wrong ${i}`, requestId: 'r' }),
      );
    }
    expect(await rejection(clinic.attempt())).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
  });

  it('take a disabled account and an MFA reset from another replica at the next sign-in', async () => {
    const clinic = await rememberedClinic();
    await clinic.changeUser({ type: 'DisableUser', at: h.clock.now() });
    expect(await rejection(clinic.attempt())).toMatchObject({ reason: 'ACCOUNT_DISABLED' });
    await clinic.changeUser({ type: 'EnableUser', at: h.clock.now() });

    const { tenantId, ownerEmail: email } = clinic;
    await enrolAndSignIn(h, { tenantId, email });
    expect((await clinic.attempt()).kind).toBe('mfa_required');
    await clinic.changeUser({ type: 'ResetMfa', at: h.clock.now() });
    expect((await clinic.attempt()).kind).toBe('enrolment_required');
  });

  it("take the clinic's lockout policy changed on another replica at the next sign-in", async () => {
    const clinic = await rememberedClinic();
    const { tenantId } = clinic;
    expect(
      rememberedState(here().store, tenantId, { streamId: tenantId, decider: tenantDecider }),
    ).toBeDefined();
    await handleCommand(there.store, tenantDecider, {
      streamId: tenantId,
      streamType: 'tenant',
      command: { type: 'ChangeTenantSettings', settings: { lockout: { threshold: 3 } }, at: h.clock.now() },
      metadata: { tenantId, actor, correlationId: 'r' },
    });
    for (let i = 0; i < 2; i++)
      expect(await rejection(clinic.attempt(`wrong ${i}`))).toMatchObject({ reason: 'INVALID_CREDENTIALS' });
    expect(await rejection(clinic.attempt('wrong 2'))).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
  });
});
