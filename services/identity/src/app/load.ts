import { errors } from '@medspa/errors';
import type { Decider, DomainEvent } from '@medspa/eventstore';
import { tenantDecider } from '../domain/tenant/decide.js';
import type { TenantSettings } from '../domain/tenant/settings.js';
import type { TenantState } from '../domain/tenant/tenant.js';
import type { RegisteredUser, UserState } from '../domain/user/user.js';
import { userDecider } from '../domain/user/decide.js';
import type { IdentityContext } from './context.js';
import { loadStatesInTenant } from './stream-states.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID: ids from callers are checked before they reach SQL or a stream. */
export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * A stream's current state as seen from `tenantId`: a stream of another tenant reads as empty, so
 * that callers answer NOT_FOUND and never disclose that it exists. Folded from the state this
 * process remembers plus the events after it (see stream-states.ts).
 */
export async function loadInTenant<C, E extends DomainEvent, S>(
  ctx: IdentityContext,
  streamId: string,
  decider: Decider<C, E, S>,
  tenantId: string,
): Promise<{ state: S; version: number }> {
  const [loaded] = await loadStatesInTenant(ctx.store, tenantId, [{ streamId, decider }]);
  return loaded as { state: S; version: number };
}

/** The clinic and one of its users, current, in one round trip (the warm path of a sign-in). */
export async function tenantAndUser(
  ctx: IdentityContext,
  tenantId: string,
  userId: string,
): Promise<{ tenant: TenantState; user: UserState }> {
  const [tenant, user] = await loadStatesInTenant(ctx.store, tenantId, [
    { streamId: tenantId, decider: tenantDecider },
    { streamId: userId, decider: userDecider },
  ]);
  return { tenant: tenant!.state as TenantState, user: user!.state as UserState };
}

/** The clinic's settings; TENANT_NOT_FOUND when it does not exist. */
export async function tenantSettings(ctx: IdentityContext, tenantId: string): Promise<TenantSettings> {
  const { state } = await loadInTenant(ctx, tenantId, tenantDecider, tenantId);
  if (state.status !== 'active') throw errors.notFound('TENANT_NOT_FOUND', 'The clinic does not exist');
  return state.settings;
}

/** A registered user of the tenant; USER_NOT_FOUND otherwise (also for another tenant's user). */
export async function registeredUser(
  ctx: IdentityContext,
  tenantId: string,
  userId: string,
): Promise<RegisteredUser> {
  if (!isUuid(userId)) throw errors.notFound('USER_NOT_FOUND', 'The user does not exist');
  const { state } = await loadInTenant(ctx, userId, userDecider, tenantId);
  if (state.status === 'unregistered') throw errors.notFound('USER_NOT_FOUND', 'The user does not exist');
  return state;
}
