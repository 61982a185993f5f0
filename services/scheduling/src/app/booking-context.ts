import { isAppError } from '@medspa/errors';
import type { Decider, DomainEvent, EventStore } from '@medspa/eventstore';
import type { BookingContext } from '../domain/index.js';
import { loadStream, STREAMS, streamIdOf, type StreamType } from './streams.js';

export interface BookingTarget {
  locationId: string;
  treatmentId: string;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
}

// Ids are compared lower-case by the domain; stream ids are too.
const idOrSkip = (id: string | null): string | null => (id === null || id === '' ? null : id);

/**
 * What a booking is checked against, read from the streams themselves (not from read models, which
 * may lag): a stale menu or schedule must never let a booking through. Malformed ids are left to
 * the decider, which names the field; another tenant's records read as absent.
 */
export async function loadBookingContext(
  store: EventStore,
  tenantId: string,
  target: BookingTarget,
): Promise<BookingContext> {
  const load = <C, E extends DomainEvent, S>(
    kind: Exclude<StreamType, 'calendar' | 'appointment' | 'waitlist'>,
    decider: Decider<C, E, S>,
    id: string | null,
  ): Promise<S | null> => {
    const ref = idOrSkip(id);
    if (ref === null) return Promise.resolve(null);
    // Another tenant's record reads as absent: the decider then says which one is not found.
    return loadStream(store, streamIdOf(kind, ref), decider, tenantId, 'NOT_FOUND')
      .then((s) => s.state)
      .catch((e: unknown) => {
        if (isAppError(e) && e.kind === 'not_found') return decider.initialState();
        throw e;
      });
  };
  const [location, treatment, provider, providerSchedule, room, device] = await Promise.all([
    load('location', STREAMS.location.decider, target.locationId),
    load('treatment', STREAMS.treatment.decider, target.treatmentId),
    load('provider', STREAMS.provider.decider, target.providerId),
    load('provider_schedule', STREAMS.provider_schedule.decider, target.providerId),
    load('room', STREAMS.room.decider, target.roomId),
    load('device', STREAMS.device.decider, target.deviceId),
  ]);
  return {
    location: location ?? STREAMS.location.decider.initialState(),
    treatment: treatment ?? STREAMS.treatment.decider.initialState(),
    provider: provider ?? STREAMS.provider.decider.initialState(),
    providerSchedule: providerSchedule ?? STREAMS.provider_schedule.decider.initialState(),
    room,
    device,
  };
}
