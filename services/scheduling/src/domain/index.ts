// The scheduling domain: pure deciders, their events and states, and the pure functions the
// application layer builds on (calendar holds, availability search, waitlist ranking).
// No I/O, no clock, no randomness: time and lookups arrive in commands and queries.

export * from './shared/instant.js';
export * from './shared/local-time.js';
export * from './shared/money.js';
export * from './shared/spans.js';
export { isValidTimeZone, localDayAt, offsetAt, requireTimeZone } from './shared/time-zone.js';
export { instantOfLocal, zonedDay, ZonedDay } from './shared/zoned-day.js';
export { requireWeeklyHours, weeklySpans, compileWeeklyHours } from './shared/weekly-hours.js';
export type { WeeklyHours, WeeklyRange, CompiledWeeklyHours } from './shared/weekly-hours.js';

export * from './location/location.js';
export * from './location/decide.js';
export * from './provider/provider.js';
export * from './provider/decide.js';
export * from './room/room.js';
export * from './room/decide.js';
export * from './device/device.js';
export * from './device/decide.js';
export * from './provider-schedule/provider-schedule.js';
export * from './provider-schedule/decide.js';
export * from './provider-schedule/duty.js';
export * from './treatment/treatment.js';
export * from './treatment/decide.js';

export * from './calendar/calendar.js';
export * from './calendar/decide.js';
export * from './calendar/holds.js';

export * from './appointment/appointment.js';
export * from './appointment/decide.js';
export * from './appointment/bookability.js';
export * from './appointment/calendar-effects.js';

export * from './waitlist/waitlist.js';
export * from './waitlist/decide.js';
export * from './waitlist/matching.js';

export type {
  AvailabilityQuery,
  AvailabilityResult,
  AvailableSlot,
  BusyTime,
  ProviderForSearch,
} from './availability/query.js';
export { MAX_PAGE_SIZE, MAX_SEARCH_DAYS } from './availability/query.js';
export { searchAvailability } from './availability/search.js';
export * from './waitlist/freed-slot.js';
