import { parseLocalDate, parseLocalTime } from '../shared/local-time.js';
import { covers } from '../shared/spans.js';
import { localDayAt } from '../shared/time-zone.js';
import { zonedDay } from '../shared/zoned-day.js';
import { slotKey, type WaitlistSlot, type WaitlistState, type WaitlistWindow } from './waitlist.js';

/** True when [startMs, endMs) falls on one date of a window, between its earliest and latest. */
export function fitsWindows(
  windows: readonly WaitlistWindow[],
  startMs: number,
  endMs: number,
  zone: string,
): boolean {
  const day = localDayAt(zone, startMs);
  const zd = zonedDay(zone, day);
  return windows.some(
    (w) =>
      day >= parseLocalDate(w.fromDate, 'fromDate') &&
      day <= parseLocalDate(w.toDate, 'toDate') &&
      covers(
        zd.spansOf(parseLocalTime(w.earliest, 'earliest'), parseLocalTime(w.latest, 'latest', true)),
        startMs,
        endMs,
      ),
  );
}

type Waiting = Extract<WaitlistState, { status: 'waiting' }>;

/** Why an entry may not be offered a slot, or null when it may. */
export function offerRefusal(
  entry: WaitlistState,
  slot: WaitlistSlot & { locationId: string; treatmentId: string },
  zone: string,
): string | null {
  if (entry.status !== 'waiting') return 'WAITLIST_ENTRY_NOT_WAITING';
  if (entry.locationId !== slot.locationId || entry.treatmentId !== slot.treatmentId)
    return 'SLOT_NOT_WANTED';
  if (entry.providerIds.length > 0 && !entry.providerIds.includes(slot.providerId))
    return 'PROVIDER_NOT_ACCEPTABLE';
  if (entry.passedSlots.includes(slotKey(slot))) return 'SLOT_ALREADY_PASSED';
  if (!fitsWindows(entry.windows, Date.parse(slot.start), Date.parse(slot.end), zone))
    return 'SLOT_OUTSIDE_WINDOWS';
  return null;
}

/**
 * The order in which the auto-fill cascade offers a freed slot: waiting entries that want it,
 * highest priority first, then whoever joined first (then by id, so the order is total).
 */
export function rankForSlot(
  entries: readonly WaitlistState[],
  slot: WaitlistSlot & { locationId: string; treatmentId: string },
  zone: string,
): Waiting[] {
  return entries
    .filter((e): e is Waiting => offerRefusal(e, slot, zone) === null)
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        Date.parse(a.joinedAt) - Date.parse(b.joinedAt) ||
        (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0),
    );
}
