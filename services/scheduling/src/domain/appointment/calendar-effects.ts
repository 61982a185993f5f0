import { calendarChanges, type CalendarChange } from '../calendar/holds.js';
import type { CalendarHold } from '../calendar/calendar.js';
import type { AppointmentEvent, AppointmentState } from './appointment.js';

/**
 * The calendar changes that must be appended in the same transaction as an appointment's new
 * events: holds for a booking, release-and-hold for a reschedule, releases for a cancellation.
 * Completion and no-shows keep their holds: that time was used (or lost) either way.
 */
export function calendarChangesFor(
  before: AppointmentState,
  events: readonly AppointmentEvent[],
): CalendarChange[] {
  let holds: readonly CalendarHold[] = before.status === 'none' ? [] : before.holds;
  const initial = holds;
  let appointmentId = before.status === 'none' ? '' : before.appointmentId;
  for (const event of events) {
    switch (event.type) {
      case 'AppointmentBooked':
        appointmentId = event.data.appointmentId;
        holds = event.data.holds;
        break;
      case 'AppointmentRescheduled':
        holds = event.data.holds;
        break;
      case 'AppointmentCancelled':
        holds = [];
        break;
      case 'AppointmentConfirmed':
      case 'AppointmentCheckedIn':
      case 'AppointmentCompleted':
      case 'AppointmentMarkedNoShow':
        break;
      default: {
        const _exhaustive: never = event;
        break;
      }
    }
  }
  return calendarChanges(appointmentId, initial, holds);
}
