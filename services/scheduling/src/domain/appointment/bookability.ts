import { errors } from '@medspa/errors';
import type { CalendarHold } from '../calendar/calendar.js';
import { heldSpan, holdsFor, type BookedResource } from '../calendar/holds.js';
import type { DeviceState } from '../device/device.js';
import type { LocationState } from '../location/location.js';
import { dutySpans, timeOffSpans } from '../provider-schedule/duty.js';
import type { ProviderScheduleState } from '../provider-schedule/provider-schedule.js';
import type { ProviderState } from '../provider/provider.js';
import type { RoomState } from '../room/room.js';
import { requireId } from '../shared/fields.js';
import { MINUTE_MS, parseInstant, toInstant, type Instant } from '../shared/instant.js';
import { covers, overlapping } from '../shared/spans.js';
import { localDayAt } from '../shared/time-zone.js';
import { compileWeeklyHours, weeklySpans } from '../shared/weekly-hours.js';
import type { TreatmentProfile, TreatmentState } from '../treatment/treatment.js';
import { requireUsableResource } from './resources.js';

/**
 * What a booking must be checked against, looked up by the caller (the decider reads no store):
 * the current states of the location, treatment, provider, the provider's schedule and the
 * chosen room and device. Whether the time is free is not here: the calendars decide that.
 */
export interface BookingContext {
  location: LocationState;
  treatment: TreatmentState;
  provider: ProviderState;
  providerSchedule: ProviderScheduleState;
  room: RoomState | null;
  device: DeviceState | null;
}

export interface BookingChoice {
  locationId: string;
  treatmentId: string;
  start: Instant;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
  now: Instant;
}

export interface AssessedBooking {
  start: Instant;
  end: Instant;
  holds: CalendarHold[];
  treatment: TreatmentProfile;
}

const invalid = (reason: string, message: string, field: string) =>
  errors.validation(reason, message, { violations: [{ field, message }] });

function requireOffered(state: TreatmentState, treatmentId: string): TreatmentProfile {
  if (state.status === 'unknown' || state.treatmentId !== treatmentId) {
    throw errors.notFound('TREATMENT_NOT_FOUND', 'No such treatment');
  }
  if (state.status === 'discontinued') {
    throw errors.precondition('TREATMENT_DISCONTINUED', 'The treatment is no longer offered');
  }
  return state;
}

/**
 * Checks a booking (or the new time of a reschedule) against the clinic's rules and returns its
 * times and the calendar holds it needs; throws the first rule it breaks. The rules, shared with
 * availability search: the treatment itself lies within opening hours; the held time (buffers
 * included) lies within the provider's working hours, outside breaks and time off; the start is
 * not in the past and respects the treatment's minimum lead time.
 */
export function assessBooking(choice: BookingChoice, ctx: BookingContext): AssessedBooking {
  const { location, provider } = ctx;
  const locationId = requireId(choice.locationId, 'locationId');
  const providerId = requireId(choice.providerId, 'providerId');
  if (location.status === 'unregistered' || location.locationId !== locationId) {
    throw errors.notFound('LOCATION_NOT_FOUND', 'No such location');
  }
  if (location.status === 'inactive')
    throw errors.precondition('LOCATION_INACTIVE', 'The location is closed');
  const treatment = requireOffered(ctx.treatment, requireId(choice.treatmentId, 'treatmentId'));
  if (provider.status === 'unknown' || provider.providerId !== providerId) {
    throw errors.notFound('PROVIDER_NOT_FOUND', 'No such provider');
  }
  if (provider.status === 'inactive')
    throw errors.precondition('PROVIDER_INACTIVE', 'The provider is inactive');
  if (treatment.requiredQualification && !provider.qualifications.includes(treatment.requiredQualification)) {
    throw errors.precondition(
      'PROVIDER_NOT_QUALIFIED',
      `The provider lacks ${treatment.requiredQualification}`,
    );
  }
  if (
    treatment.eligibleRoles.length > 0 &&
    !provider.roles.some((r) => treatment.eligibleRoles.includes(r))
  ) {
    throw errors.precondition(
      'PROVIDER_ROLE_NOT_ELIGIBLE',
      'No role of the provider may perform this treatment',
    );
  }
  const resources: BookedResource[] = [
    { kind: 'provider', id: providerId, calendarTimeZone: provider.calendarTimeZone },
  ];
  const zone = location.timeZone;
  const room = requireUsableResource('room', choice.roomId, ctx.room, treatment.roomType, locationId);
  if (room) resources.push({ kind: 'room', id: room, calendarTimeZone: zone });
  const device = requireUsableResource(
    'device',
    choice.deviceId,
    ctx.device,
    treatment.deviceType,
    locationId,
  );
  if (device) resources.push({ kind: 'device', id: device, calendarTimeZone: zone });

  const startMs = parseInstant(choice.start, 'start');
  const nowMs = parseInstant(choice.now, 'now');
  if (startMs < nowMs) throw invalid('START_IN_PAST', 'The start is in the past', 'start');
  if (startMs < nowMs + treatment.minimumLeadTimeMinutes * MINUTE_MS) {
    throw invalid(
      'LEAD_TIME_VIOLATION',
      `This treatment must be booked at least ${treatment.minimumLeadTimeMinutes} minutes ahead`,
      'start',
    );
  }
  const endMs = startMs + treatment.durationMinutes * MINUTE_MS;
  const held = heldSpan(startMs, treatment);
  const firstDay = localDayAt(zone, held.start) - 1;
  const lastDay = localDayAt(zone, held.end) + 1;
  const opening = weeklySpans(zone, compileWeeklyHours(location.openingHours), firstDay, lastDay);
  if (!covers(opening, startMs, endMs)) {
    throw invalid('OUTSIDE_OPENING_HOURS', 'The location is closed at that time', 'start');
  }
  const schedule = ctx.providerSchedule.locations[locationId];
  const timeOff = ctx.providerSchedule.timeOff;
  if (overlapping(timeOffSpans(zone, timeOff), held.start, held.end)) {
    throw invalid('PROVIDER_ON_TIME_OFF', 'The provider is off at that time', 'start');
  }
  if (!schedule || !covers(dutySpans(zone, schedule, timeOff, firstDay, lastDay), held.start, held.end)) {
    throw invalid(
      'OUTSIDE_WORKING_HOURS',
      'The provider is not working (or on a break) at that time',
      'start',
    );
  }
  return {
    start: toInstant(startMs),
    end: toInstant(endMs),
    holds: holdsFor({ start: toInstant(startMs), terms: treatment, resources }),
    treatment,
  };
}
