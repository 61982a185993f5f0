import { pgCode, setTenant, withTransaction } from '@medspa/db';
import { errors, isAppError } from '@medspa/errors';
import type { EventMetadata, EventStore } from '@medspa/eventstore';
import {
  appointment,
  calendar,
  calendarChangesFor,
  freedSlotOf,
  type AppointmentCommand,
  type AppointmentEvent,
  type AppointmentState,
  type CalendarEvent,
} from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { foldStream, loadStream, STREAMS, streamIdOf } from './streams.js';
import { openCascade } from './waitlist/cascades.js';

export interface AppointmentChange {
  appointmentId: string;
  metadata: EventMetadata;
  /**
   * Builds the command from the appointment as it stands (after the caller's permission check on
   * it), looking up afresh what it needs: called again on every attempt.
   */
  command: (state: AppointmentState) => Promise<AppointmentCommand>;
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
  for (let attempt = 1; ; attempt++) {
    const current = await loadStream(
      store,
      appointmentStream,
      appointment,
      tenantId,
      'APPOINTMENT_NOT_FOUND',
    );
    const command = await change.command(current.state);
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
    // The calendars are independent streams: read them in one query.
    const changes = calendarChangesFor(current.state, newEvents);
    const read = await store.readStreams(changes.map((c) => c.streamId));
    const days = changes.map((c) =>
      foldStream(read.get(c.streamId) ?? [], calendar, tenantId, 'CALENDAR_NOT_FOUND'),
    );
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
      const state = newEvents.reduce(appointment.evolve, current.state);
      return { state, version: current.version + newEvents.length, newEvents };
    } catch (e) {
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
