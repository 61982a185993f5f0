import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@medspa/eventstore';
import { userDecider } from '../domain/user/decide.js';
import { createClinic, startHarness, type IdentityHarness } from '../testing/harness.js';
import { loadInTenant } from './load.js';
import { eventsAfter } from './stream-catch-up.js';
import { loadStatesInTenant, rememberedState } from './stream-states.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('remembered stream states', () => {
  it("read the events after a version exactly as the store's own stream read does", async () => {
    const clinic = await createClinic(h);
    const { store } = h.service.app;
    const events = await store.readStream(clinic.ownerUserId);
    expect(events.length).toBeGreaterThan(1);
    const after = await eventsAfter(store, [
      { streamId: clinic.ownerUserId, afterVersion: 1 },
      { streamId: clinic.tenantId, afterVersion: 0 },
      { streamId: newId(), afterVersion: 0 },
    ]);
    expect(after.get(clinic.ownerUserId)).toEqual(events.slice(1));
    expect(after.get(clinic.tenantId)).toEqual(await store.readStream(clinic.tenantId));
    expect([...after.values()].at(-1)).toEqual([]);
  });

  it('read a stream asked for twice once, after the lower version, and fold it for each', async () => {
    const clinic = await createClinic(h);
    const { store } = h.service.app;
    const after = await eventsAfter(store, [
      { streamId: clinic.ownerUserId, afterVersion: 1 },
      { streamId: clinic.ownerUserId, afterVersion: 0 },
    ]);
    expect(after.get(clinic.ownerUserId)).toEqual(await store.readStream(clinic.ownerUserId));
    const owner = { streamId: clinic.ownerUserId, decider: userDecider };
    const [first, second] = await loadStatesInTenant(store, clinic.tenantId, [owner, owner]);
    const single = await store.aggregateStream(clinic.ownerUserId, userDecider);
    expect(first).toEqual({ state: single.state, version: single.version });
    expect(second).toEqual(first);
  });

  it("never lend one clinic's remembered stream to another", async () => {
    const [mine, theirs] = [await createClinic(h), await createClinic(h)];
    const ctx = h.service.app;
    const owner = { streamId: mine.ownerUserId, decider: userDecider };
    expect((await loadInTenant(ctx, mine.ownerUserId, userDecider, mine.tenantId)).state).toMatchObject({
      status: 'active',
    });
    expect(rememberedState(ctx.store, mine.tenantId, owner)).toBeDefined();
    expect(rememberedState(ctx.store, theirs.tenantId, owner)).toBeUndefined();
    expect(await loadInTenant(ctx, mine.ownerUserId, userDecider, theirs.tenantId)).toEqual({
      state: { status: 'unregistered' },
      version: 0,
    });
  });
});
