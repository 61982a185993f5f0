import { setTenant, withTransaction, type PoolClient } from '@medspa/db';
import { errors, isAppError } from '@medspa/errors';
import type { EventMetadata, EventStore } from '@medspa/eventstore';
import {
  waitlist,
  type WaitlistCommand,
  type WaitlistEvent,
  type WaitlistState,
} from '../../domain/index.js';
import { requireId } from '../../domain/shared/fields.js';
import { loadStream, STREAMS, streamIdOf } from '../streams.js';

export interface EntryChange {
  entryId: string;
  metadata: EventMetadata;
  /** Builds the command from the entry as it stands (permission checks go here); every attempt. */
  command: (state: WaitlistState) => WaitlistCommand | Promise<WaitlistCommand>;
  /** Writes that must commit with the new events (the tenant is set); only called when some. */
  alongside?: (db: PoolClient, after: WaitlistState, newEvents: WaitlistEvent[]) => Promise<void>;
}

export interface EntryChanged {
  state: WaitlistState;
  version: number;
  newEvents: WaitlistEvent[];
}

export const entryStreamId = (entryId: string) => streamIdOf('waitlist', requireId(entryId, 'entryId'));

/**
 * Decides a waitlist command on one entry stream inside `db`'s transaction (tenant already set)
 * and appends, with the `alongside` writes. The caller owns the transaction and its retries.
 */
export async function changeEntryIn(
  db: PoolClient,
  store: EventStore,
  change: EntryChange,
): Promise<EntryChanged> {
  const streamId = entryStreamId(change.entryId);
  const current = await loadStream(
    store,
    streamId,
    waitlist,
    change.metadata.tenantId,
    'WAITLIST_ENTRY_NOT_FOUND',
    {
      db,
    },
  );
  const newEvents = waitlist.decide(await change.command(current.state), current.state);
  if (newEvents.length === 0) return { ...current, newEvents };
  await store.append(streamId, STREAMS.waitlist.type, current.version, newEvents, change.metadata, { db });
  const state = newEvents.reduce(waitlist.evolve, current.state);
  await change.alongside?.(db, state, newEvents);
  return { state, version: current.version + newEvents.length, newEvents };
}

/** `changeEntryIn` in its own tenant-scoped transaction, decided again on a concurrent write. */
export async function changeEntry(
  store: EventStore,
  change: EntryChange,
  maxAttempts = 8,
): Promise<EntryChanged> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(store.pool, async (db) => {
        await setTenant(db, change.metadata.tenantId);
        return changeEntryIn(db, store, change);
      });
    } catch (e) {
      if (!(isAppError(e) && e.reason === 'STREAM_VERSION_CONFLICT')) throw e;
      if (attempt >= maxAttempts) {
        throw errors.conflict('STREAM_VERSION_CONFLICT', 'The waitlist entry is busy; try again', {
          cause: e,
        });
      }
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}
