import type { Queryable } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { Decider, DomainEvent, EventStore, ReadStreamOptions, RecordedEvent } from '@medspa/eventstore';
import {
  appointment,
  calendar,
  device,
  location,
  provider,
  providerSchedule,
  room,
  treatment,
  waitlist,
} from '../domain/index.js';

// Where each aggregate lives in the log. Stream ids start with the stream type so that a listing of
// the log reads plainly; calendars are named by the domain (calendarStreamId).

export const STREAMS = {
  location: { type: 'location', decider: location },
  provider: { type: 'provider', decider: provider },
  provider_schedule: { type: 'provider_schedule', decider: providerSchedule },
  room: { type: 'room', decider: room },
  device: { type: 'device', decider: device },
  treatment: { type: 'treatment', decider: treatment },
  appointment: { type: 'appointment', decider: appointment },
  calendar: { type: 'calendar', decider: calendar },
  waitlist: { type: 'waitlist', decider: waitlist },
} as const;

export type StreamType = keyof typeof STREAMS;

/** `appointment-<id>`, `provider_schedule-<id>`… (calendars use calendarStreamId). */
export const streamIdOf = (type: Exclude<StreamType, 'calendar'>, id: string): string =>
  `${type}-${id.toLowerCase()}`;

export interface LoadedStream<S> {
  state: S;
  version: number;
}

/**
 * A stream's state as this tenant may see it: a stream written by another tenant is reported as
 * not found (with the caller's reason), never read, so that its existence is not disclosed.
 */
export async function loadStream<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  tenantId: string,
  notFoundReason: string,
  options: ReadStreamOptions & { db?: Queryable } = {},
): Promise<LoadedStream<S>> {
  const { state, version, events } = await store.aggregateStream(streamId, decider, options);
  if (events.some((e) => e.metadata.tenantId !== tenantId)) {
    throw errors.notFound(notFoundReason, 'Not found');
  }
  return { state, version };
}

/**
 * Folds events read elsewhere (e.g. one `readStreams` for several aggregates) as `loadStream` does,
 * with the same tenant rule: another tenant's stream is reported as not found.
 */
export function foldStream<C, E extends DomainEvent, S>(
  events: readonly RecordedEvent[],
  decider: Decider<C, E, S>,
  tenantId: string,
  notFoundReason: string,
): LoadedStream<S> {
  if (events.some((e) => e.metadata.tenantId !== tenantId)) {
    throw errors.notFound(notFoundReason, 'Not found');
  }
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as E);
  return { state, version: events.at(-1)?.streamVersion ?? 0 };
}
