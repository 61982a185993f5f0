import type { PoolClient } from '@medspa/db';
import { isAppError } from '@medspa/errors';
import { newId, type EventMetadata, type EventStore } from '@medspa/eventstore';
import { rankForSlot, type WaitlistState } from '../../domain/index.js';
import { openEntryIds } from '../../projections/waitlist/queries.js';
import { loadStream, STREAMS, streamIdOf } from '../streams.js';
import { closeCascade, dropTimer, markOffered, setTimer, type Cascade } from './cascades.js';
import { changeEntryIn, entryStreamId } from './entry-writer.js';

export interface CascadeSettings {
  /** How long each offer is held for its patient. */
  offerHoldMs: number;
  /** When every matching entry is busy with another offer: look again after this long. */
  busyRetryMs: number;
  /** An accepted offer not booked by then (the accepting call died) is booked by the timer. */
  acceptWatchdogMs: number;
}

/** What the timer poller must do after the step's transaction commits. */
export type StepOutcome = { settle: null } | { settle: { entryId: string } };

const nothing: StepOutcome = { settle: null };

/** The cascade's actor in the log: the service itself, acting for the clinic. */
export const cascadeMetadata = (cascade: Pick<Cascade, 'tenantId' | 'cascadeId'>): EventMetadata => ({
  tenantId: cascade.tenantId,
  actor: { id: 'scheduling.waitlist-autofill', role: 'system' },
  correlationId: cascade.cascadeId,
});

async function locationZone(db: PoolClient, store: EventStore, cascade: Cascade): Promise<string | null> {
  const { state } = await loadStream(
    store,
    streamIdOf('location', cascade.slot.locationId),
    STREAMS.location.decider,
    cascade.tenantId,
    'LOCATION_NOT_FOUND',
    { db },
  );
  return state.status === 'active' ? state.timeZone : null;
}

/**
 * One step of a cascade whose timer is due, inside the poller's transaction (timer row locked,
 * tenant set). First the pending offer: still unanswered past its expiry → expire it (a no-op
 * if a late or doubled timer finds it answered); accepted → the booking is due; fulfilled → done.
 * Then, if the slot is still in the future, offer it to the next matching entry in priority
 * order, with the timer set to the offer's expiry, or end the cascade when nobody wants it.
 */
export async function stepCascade(
  db: PoolClient,
  store: EventStore,
  cascade: Cascade,
  now: Date,
  settings: CascadeSettings,
): Promise<StepOutcome> {
  const metadata = cascadeMetadata(cascade);
  if (cascade.status === 'booked' || cascade.status === 'ended') {
    await dropTimer(db, cascade.cascadeId);
    return nothing;
  }
  if (cascade.status === 'offered' && cascade.entryId !== null && cascade.offerId !== null) {
    const offerId = cascade.offerId;
    const { state } = await loadStream(
      store,
      entryStreamId(cascade.entryId),
      STREAMS.waitlist.decider,
      cascade.tenantId,
      'WAITLIST_ENTRY_NOT_FOUND',
      { db },
    );
    const current = 'offer' in state && state.offer.offerId === offerId;
    if (current && state.status === 'offered') {
      if (now.getTime() < Date.parse(state.offer.expiresAt)) {
        await setTimer(db, cascade.tenantId, cascade.cascadeId, new Date(state.offer.expiresAt));
        return nothing;
      }
      await changeEntryIn(db, store, {
        entryId: cascade.entryId,
        metadata,
        command: () => ({
          type: 'ExpireWaitlistOffer',
          entryId: state.entryId,
          offerId,
          now: now.toISOString(),
        }),
      });
    } else if (current && state.status === 'accepted') {
      await setTimer(
        db,
        cascade.tenantId,
        cascade.cascadeId,
        new Date(now.getTime() + settings.acceptWatchdogMs),
      );
      return { settle: { entryId: cascade.entryId } };
    } else if (state.status === 'fulfilled' && state.appointmentId === offerId) {
      await closeCascade(db, cascade.cascadeId, 'booked', offerId);
      return nothing;
    }
  }
  if (Date.parse(cascade.slot.start) <= now.getTime()) {
    await closeCascade(db, cascade.cascadeId, 'slot_passed');
    return nothing;
  }
  await offerToNext(db, store, cascade, now, settings);
  return nothing;
}

async function offerToNext(
  db: PoolClient,
  store: EventStore,
  cascade: Cascade,
  now: Date,
  settings: CascadeSettings,
): Promise<void> {
  const zone = await locationZone(db, store, cascade);
  const ids = zone === null ? [] : await openEntryIds(db, cascade.slot.locationId, cascade.slot.treatmentId);
  // The read model finds candidates; each entry's own stream is the authority on its state.
  const entries: WaitlistState[] = [];
  for (const id of ids) {
    const { state } = await loadStream(
      store,
      entryStreamId(id),
      STREAMS.waitlist.decider,
      cascade.tenantId,
      'WAITLIST_ENTRY_NOT_FOUND',
      { db },
    );
    entries.push(state);
  }
  const slot = cascade.slot;
  const expiresAt = new Date(Math.min(now.getTime() + settings.offerHoldMs, Date.parse(slot.start)));
  for (const entry of zone === null ? [] : rankForSlot(entries, slot, zone)) {
    const offerId = newId();
    // A savepoint per attempt: an entry that raced into another offer must not abort the step.
    await db.query('SAVEPOINT offer');
    try {
      await changeEntryIn(db, store, {
        entryId: entry.entryId,
        metadata: cascadeMetadata(cascade),
        command: () => ({
          type: 'MakeWaitlistOffer',
          entryId: entry.entryId,
          offerId,
          slot: {
            start: slot.start,
            end: slot.end,
            providerId: slot.providerId,
            roomId: slot.roomId,
            deviceId: slot.deviceId,
          },
          timeZone: zone!,
          expiresAt: expiresAt.toISOString(),
          now: now.toISOString(),
        }),
        alongside: (tx) => markOffered(tx, cascade, { entryId: entry.entryId, offerId, expiresAt }),
      });
      await db.query('RELEASE SAVEPOINT offer');
      return;
    } catch (e) {
      await db.query('ROLLBACK TO SAVEPOINT offer');
      if (!isAppError(e)) throw e;
    }
  }
  const busy = entries.some((e) => e.status === 'offered' || e.status === 'accepted');
  if (busy)
    await setTimer(db, cascade.tenantId, cascade.cascadeId, new Date(now.getTime() + settings.busyRetryMs));
  else await closeCascade(db, cascade.cascadeId, 'no_match');
}
