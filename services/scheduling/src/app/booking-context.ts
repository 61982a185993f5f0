import { isAppError } from '@medspa/errors';
import type { Decider, DomainEvent, EventStore, RecordedEvent } from '@medspa/eventstore';
import type { BookingContext } from '../domain/index.js';
import { foldStream, STREAMS, streamIdOf, type StreamType } from './streams.js';

type ContextStream = Exclude<StreamType, 'calendar' | 'appointment' | 'waitlist'>;

export interface BookingTarget {
  locationId: string;
  treatmentId: string;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
}

// Ids are compared lower-case by the domain; stream ids are too.
const idOrSkip = (id: string | null): string | null => (id === null || id === '' ? null : id);

/** The streams a booking is checked against (read them in one query with whatever else is needed). */
export function bookingContextStreams(target: BookingTarget) {
  const streamOf = (kind: ContextStream, ref: string | null): string | null => {
    const id = idOrSkip(ref);
    return id === null ? null : streamIdOf(kind, id);
  };
  return {
    location: streamOf('location', target.locationId),
    treatment: streamOf('treatment', target.treatmentId),
    provider: streamOf('provider', target.providerId),
    provider_schedule: streamOf('provider_schedule', target.providerId),
    room: streamOf('room', target.roomId),
    device: streamOf('device', target.deviceId),
  };
}

/** The ids of `bookingContextStreams`, for a `readStreams`. */
export const bookingContextStreamIds = (target: BookingTarget): string[] =>
  Object.values(bookingContextStreams(target)).filter((id) => id !== null);

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
  return foldBookingContext(await store.readStreams(bookingContextStreamIds(target)), tenantId, target);
}

/** The booking context from streams already read (see `bookingContextStreamIds`). */
export function foldBookingContext(
  read: ReadonlyMap<string, readonly RecordedEvent[]>,
  tenantId: string,
  target: BookingTarget,
): BookingContext {
  const streams = bookingContextStreams(target);
  const fold = <C, E extends DomainEvent, S>(
    streamId: string | null,
    decider: Decider<C, E, S>,
  ): S | null => {
    if (streamId === null) return null;
    try {
      return foldStream(read.get(streamId) ?? [], decider, tenantId, 'NOT_FOUND').state;
    } catch (e) {
      // Another tenant's record reads as absent: the decider then says which one is not found.
      if (isAppError(e) && e.kind === 'not_found') return decider.initialState();
      throw e;
    }
  };
  return {
    location: fold(streams.location, STREAMS.location.decider) ?? STREAMS.location.decider.initialState(),
    treatment: fold(streams.treatment, STREAMS.treatment.decider) ?? STREAMS.treatment.decider.initialState(),
    provider: fold(streams.provider, STREAMS.provider.decider) ?? STREAMS.provider.decider.initialState(),
    providerSchedule:
      fold(streams.provider_schedule, STREAMS.provider_schedule.decider) ??
      STREAMS.provider_schedule.decider.initialState(),
    room: fold(streams.room, STREAMS.room.decider),
    device: fold(streams.device, STREAMS.device.decider),
  };
}
