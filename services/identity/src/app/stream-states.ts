import { StreamStateCache, type EventStore, type RecordedEvent } from '@medspa/eventstore';
import { eventsAfter } from './stream-catch-up.js';

/** One stream to load as seen from a tenant, with the decider that folds it. */
export interface StreamRead<S> {
  streamId: string;
  decider: FoldingDecider<S>;
}

// Method syntax on purpose: any decider's `evolve` fits (parameters are compared both ways), so
// streams of different aggregates load in one call; each stream's events are its own decider's.
interface FoldingDecider<S> {
  evolve(state: S, event: never): S;
  initialState(): S;
}

type AnyDecider = StreamRead<unknown>['decider'];

/*
 * Tenant, user and session states as this process last folded them, with their versions. Every load
 * still asks the store for the events after that version (one statement for all the streams a call
 * needs), so a password change, lockout, disable or MFA reset written by another replica is in the
 * state the moment it is committed: the cache saves the replay of a stream's history (a user's grows
 * with every sign-in), never the check. Only streams whose every event belongs to the tenant asking
 * are kept, under that tenant; the one stored longest ago goes first. One cache per store and
 * decider, so services in one process (tests) never share entries.
 */
const STREAMS_REMEMBERED = 10_000;
const caches = new WeakMap<EventStore, Map<AnyDecider, StreamStateCache<unknown>>>();

function cacheOf(store: EventStore, decider: AnyDecider): StreamStateCache<unknown> {
  let byDecider = caches.get(store);
  if (byDecider === undefined)
    caches.set(store, (byDecider = new Map<AnyDecider, StreamStateCache<unknown>>()));
  let cache = byDecider.get(decider);
  if (cache === undefined) byDecider.set(decider, (cache = new StreamStateCache(STREAMS_REMEMBERED)));
  return cache;
}

/**
 * The current states of `reads` as seen from `tenantId` (a stream holding any event of another
 * tenant reads as empty, version 0), with one round trip to the store for all of them.
 */
export async function loadStatesInTenant(
  store: EventStore,
  tenantId: string,
  reads: readonly StreamRead<unknown>[],
): Promise<{ state: unknown; version: number }[]> {
  const remembered = reads.map((r) => cacheOf(store, r.decider).get(tenantId, r.streamId));
  const newer = await eventsAfter(
    store,
    reads.map((r, i) => ({ streamId: r.streamId, afterVersion: remembered[i]?.version ?? 0 })),
  );
  return reads.map((read, i) => {
    const from = remembered[i] ?? { tenantId, state: read.decider.initialState(), version: 0 };
    const events = (newer.get(read.streamId) ?? []).filter((e) => e.streamVersion > from.version);
    if (events.some((e) => e.metadata.tenantId !== tenantId)) {
      cacheOf(store, read.decider).forget([read.streamId]);
      return { state: read.decider.initialState(), version: 0 };
    }
    const state = fold(read.decider, from.state, events);
    const version = events.at(-1)?.streamVersion ?? from.version;
    // Stored again only when it moved: re-inserting an unchanged hot entry on every read leaves V8
    // a dead Map entry each time (see libs/crypto's LruCache), and changes come with every sign-in.
    if (version > 0 && version !== remembered[i]?.version)
      cacheOf(store, read.decider).set(read.streamId, { tenantId, state, version });
    return { state, version };
  });
}

/** The state remembered for a stream, without asking the store: only to skip work, never to decide. */
export function rememberedState<S>(store: EventStore, tenantId: string, read: StreamRead<S>): S | undefined {
  return cacheOf(store, read.decider).get(tenantId, read.streamId)?.state as S | undefined;
}

function fold(decider: AnyDecider, state: unknown, events: readonly RecordedEvent[]): unknown {
  let next = state;
  for (const e of events) next = decider.evolve(next, { type: e.type, data: e.data } as never);
  return next;
}
