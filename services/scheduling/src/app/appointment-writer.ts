import { pgCode, setTenant, withTransaction } from '@medspa/db';
import { errors, isAppError } from '@medspa/errors';
import {
  StreamStateCache,
  type EventMetadata,
  type EventStore,
  type RecordedEvent,
} from '@medspa/eventstore';
import {
  appointment,
  calendar,
  calendarChangesFor,
  freedSlotOf,
  type AppointmentCommand,
  type AppointmentEvent,
  type AppointmentState,
  type CalendarEvent,
  type CalendarState,
} from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { foldStream, STREAMS, streamIdOf, type LoadedStream } from './streams.js';
import { openCascade } from './waitlist/cascades.js';

export interface AppointmentChange {
  appointmentId: string;
  metadata: EventMetadata;
  /** Streams the command needs, read afresh on every attempt in the same query as the appointment. */
  reads?: readonly string[];
  /**
   * Builds the command from the appointment as it stands (after the caller's permission check on
   * it) and the `reads`: called again on every attempt.
   */
  command: (
    state: AppointmentState,
    read: ReadonlyMap<string, RecordedEvent[]>,
  ) => Promise<AppointmentCommand>;
  maxAttempts?: number;
}

export interface AppointmentChanged {
  state: AppointmentState;
  version: number;
  newEvents: AppointmentEvent[];
}

interface StreamWrite {
  streamId: string;
  streamType: string;
  expectedVersion: number;
  events: (AppointmentEvent | CalendarEvent)[];
}

const DEFAULT_ATTEMPTS = 12;

/**
 * Decides an appointment command, then every calendar hold and release it implies, and appends all
 * of it in ONE transaction, each stream at the version it was read, in stream-id order (so two
 * writers never wait on each other in opposite orders). A racing writer on any of those streams
 * makes the commit fail with STREAM_VERSION_CONFLICT; the whole decision is then made again on
 * fresh state, where the rival's hold now overlaps and the calendar refuses with SLOT_TAKEN.
 * After `maxAttempts` conflicts the conflict itself is reported (ABORTED: the client may retry).
 */
export async function changeAppointment(
  store: EventStore,
  change: AppointmentChange,
): Promise<AppointmentChanged> {
  const maxAttempts = change.maxAttempts ?? DEFAULT_ATTEMPTS;
  const tenantId = change.metadata.tenantId;
  const appointmentStream = streamIdOf('appointment', requireId(change.appointmentId, 'appointmentId'));
  const calendars = calendarCacheOf(store);
  for (let attempt = 1; ; attempt++) {
    const read = await store.readStreams([appointmentStream, ...(change.reads ?? [])]);
    const current = foldStream(
      read.get(appointmentStream) ?? [],
      appointment,
      tenantId,
      'APPOINTMENT_NOT_FOUND',
    );
    const command = await change.command(current.state, read);
    const newEvents = appointment.decide(command, current.state);
    if (newEvents.length === 0) return { state: current.state, version: current.version, newEvents };

    const writes: StreamWrite[] = [
      {
        streamId: appointmentStream,
        streamType: STREAMS.appointment.type,
        expectedVersion: current.version,
        events: newEvents,
      },
    ];
    const changes = calendarChangesFor(current.state, newEvents);
    const days = await calendarDays(
      store,
      calendars,
      tenantId,
      changes.map((c) => c.streamId),
    );
    const decided: { streamId: string; state: CalendarState; version: number }[] = [];
    for (const [i, c] of changes.entries()) {
      const day = days[i]!;
      let state = day.state;
      const events: CalendarEvent[] = [];
      for (const cmd of c.commands) {
        for (const e of calendar.decide(cmd, state)) {
          events.push(e);
          state = calendar.evolve(state, e);
        }
      }
      if (events.length > 0) {
        writes.push({
          streamId: c.streamId,
          streamType: STREAMS.calendar.type,
          expectedVersion: day.version,
          events,
        });
        decided.push({ streamId: c.streamId, state, version: day.version + events.length });
      }
    }
    writes.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));

    try {
      // All streams in ONE statement, each at the version read (all or nothing). A booking needs
      // nothing else, so it commits on its own with no transaction held open around it: the
      // projections' gap-safe reads are held back by open transactions, so short ones keep lag low.
      const freed = freedSlotOf(current.state, newEvents);
      if (freed === null) {
        await store.appendStreams(writes, change.metadata);
      } else {
        await withTransaction(store.pool, async (client) => {
          await store.appendStreams(writes, change.metadata, { db: client });
          // A freed slot starts the waitlist cascade, durably, with the event that frees it.
          await setTenant(client, tenantId);
          await openCascade(client, tenantId, freed.slot, new Date(freed.freedAt));
        });
      }
      for (const d of decided) calendars.set(d.streamId, { tenantId, state: d.state, version: d.version });
      const state = newEvents.reduce(appointment.evolve, current.state);
      return { state, version: current.version + newEvents.length, newEvents };
    } catch (e) {
      // A day this writer held may have moved on (another replica, a waitlist hold): read it afresh.
      calendars.forget(changes.map((c) => c.streamId));
      // Stream-id order should make deadlocks impossible; one is still a race lost, not a failure.
      const raced = (isAppError(e) && e.reason === 'STREAM_VERSION_CONFLICT') || pgCode(e) === '40P01';
      if (!raced) throw e;
      if (attempt >= maxAttempts) {
        throw errors.conflict('STREAM_VERSION_CONFLICT', 'The calendar is busy; try again', { cause: e });
      }
      // Jittered, growing pause: the rivals that collided spread out instead of colliding again.
      await new Promise((r) => setTimeout(r, Math.random() * 4 * attempt));
    }
  }
}

// The calendar days this store's writer last read or wrote: a booking at a busy clinic usually finds
// its days here and skips a read. Safe because every write names the version it decided on (see
// StreamStateCache). One cache per store, so two services in one process never share entries.
const CALENDAR_DAYS_CACHED = 20_000;
const calendarCaches = new WeakMap<EventStore, StreamStateCache<CalendarState>>();

function calendarCacheOf(store: EventStore): StreamStateCache<CalendarState> {
  let cache = calendarCaches.get(store);
  if (cache === undefined) {
    cache = new StreamStateCache<CalendarState>(CALENDAR_DAYS_CACHED);
    calendarCaches.set(store, cache);
  }
  return cache;
}

/** The calendar days, from the cache where held there, the rest in ONE query. */
async function calendarDays(
  store: EventStore,
  cache: StreamStateCache<CalendarState>,
  tenantId: string,
  streamIds: readonly string[],
): Promise<LoadedStream<CalendarState>[]> {
  const missing = streamIds.filter((id) => cache.get(tenantId, id) === undefined);
  const read = missing.length === 0 ? new Map<string, RecordedEvent[]>() : await store.readStreams(missing);
  return streamIds.map((id) => {
    const cached = cache.get(tenantId, id);
    if (cached !== undefined) return { state: cached.state, version: cached.version };
    const day = foldStream(read.get(id) ?? [], calendar, tenantId, 'CALENDAR_NOT_FOUND');
    cache.set(id, { tenantId, ...day });
    return day;
  });
}
