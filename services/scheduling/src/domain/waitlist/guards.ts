import { errors } from '@medspa/errors';
import { formatLocalDate, parseLocalDate, parseLocalTime } from '../shared/local-time.js';
import type { WaitlistState, WaitlistWindow } from './waitlist.js';

// Input and state checks of the waitlist decider.

export const invalid = (reason: string, message: string, field: string) =>
  errors.validation(reason, message, { violations: [{ field, message }] });

export function requireWindows(value: unknown): WaitlistWindow[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 20) {
    throw invalid('INVALID_WINDOWS', 'Between 1 and 20 windows are needed', 'windows');
  }
  return value.map((raw: WaitlistWindow, i) => {
    const f = `windows.${i}`;
    const from = parseLocalDate(raw.fromDate, `${f}.fromDate`);
    const to = parseLocalDate(raw.toDate, `${f}.toDate`);
    const earliest = parseLocalTime(raw.earliest, `${f}.earliest`);
    const latest = parseLocalTime(raw.latest, `${f}.latest`, true);
    if (to < from || latest <= earliest)
      throw invalid('END_BEFORE_START', 'A window ends before it starts', f);
    return {
      fromDate: formatLocalDate(from),
      toDate: formatLocalDate(to),
      earliest: raw.earliest,
      latest: raw.latest,
    };
  });
}

type Status = Exclude<WaitlistState, { status: 'none' }>['status'];

export function requireStatus<S extends Status>(state: WaitlistState, allowed: readonly S[]) {
  if (state.status === 'none') throw errors.notFound('WAITLIST_ENTRY_NOT_FOUND', 'No such waitlist entry');
  if ((allowed as readonly string[]).includes(state.status))
    return state as Extract<WaitlistState, { status: S }>;
  const reason =
    state.status === 'offered' ? 'OFFER_PENDING' : `WAITLIST_ENTRY_${state.status.toUpperCase()}`;
  throw errors.precondition(reason, `Not allowed: the waitlist entry is ${state.status}`);
}

export function requireCurrentOffer(state: WaitlistState, offerId: string) {
  const entry = requireStatus(state, ['offered', 'waiting', 'accepted', 'fulfilled', 'withdrawn']);
  if (entry.status !== 'offered') throw errors.precondition('NO_OFFER_PENDING', 'No offer is pending');
  if (entry.offer.offerId !== offerId)
    throw errors.precondition('OFFER_NOT_CURRENT', 'That offer is not current');
  return entry;
}
