import type { Instant } from '../shared/instant.js';
import type { LocalDate, LocalTime } from '../shared/local-time.js';

// A patient waiting for an earlier or a particular slot. When a slot frees, the auto-fill cascade
// (the process manager in src/app/waitlist) offers it to matching entries one at a time: an offer is accepted,
// declined or expires, and a declined or expired slot is never offered to that entry again.

/** Dates and wall-clock hours (location time) within which the whole appointment must fall. */
export interface WaitlistWindow {
  fromDate: LocalDate;
  toDate: LocalDate;
  earliest: LocalTime;
  latest: LocalTime;
}

/** A concrete bookable slot, as availability search returns it. */
export interface WaitlistSlot {
  start: Instant;
  end: Instant;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
}

export interface WaitlistEntryDetails {
  entryId: string;
  patientId: string;
  locationId: string;
  treatmentId: string;
  /** Providers the patient accepts; empty means any qualified provider. */
  providerIds: string[];
  windows: WaitlistWindow[];
  /** 0–100, higher first (a member, a long wait); ties go to whoever joined first. */
  priority: number;
  joinedAt: Instant;
}

export interface WaitlistOffer {
  offerId: string;
  slot: WaitlistSlot;
  offeredAt: Instant;
  expiresAt: Instant;
}

export type ReopenReason = 'slot_taken' | 'booking_failed';

export type WaitlistEvent =
  | { type: 'WaitlistJoined'; data: WaitlistEntryDetails }
  | { type: 'WaitlistOfferMade'; data: { entryId: string } & WaitlistOffer }
  | { type: 'WaitlistOfferAccepted'; data: { entryId: string; offerId: string; acceptedAt: Instant } }
  | { type: 'WaitlistOfferDeclined'; data: { entryId: string; offerId: string; declinedAt: Instant } }
  | { type: 'WaitlistOfferExpired'; data: { entryId: string; offerId: string; expiredAt: Instant } }
  | {
      type: 'WaitlistEntryReopened';
      data: { entryId: string; reasonCode: ReopenReason; reopenedAt: Instant };
    }
  | { type: 'WaitlistEntryFulfilled'; data: { entryId: string; appointmentId: string; fulfilledAt: Instant } }
  | { type: 'WaitlistEntryWithdrawn'; data: { entryId: string; withdrawnAt: Instant } };

type Entry = WaitlistEntryDetails & {
  /** Slots this entry already let pass (declined or expired), as `start|providerId`. */
  passedSlots: string[];
};

export type WaitlistState =
  | { status: 'none' }
  | ({ status: 'waiting' } & Entry)
  | ({ status: 'offered'; offer: WaitlistOffer } & Entry)
  /** Accepted: the cascade is booking the slot; it ends fulfilled, or reopened if that fails. */
  | ({ status: 'accepted'; offer: WaitlistOffer } & Entry)
  | ({ status: 'fulfilled'; appointmentId: string } & Entry)
  | ({ status: 'withdrawn' } & Entry);

/** The key under which a slot is remembered as passed. */
export const slotKey = (slot: Pick<WaitlistSlot, 'start' | 'providerId'>): string =>
  `${slot.start}|${slot.providerId}`;

export const initialWaitlistState = (): WaitlistState => ({ status: 'none' });

export function evolveWaitlist(state: WaitlistState, event: WaitlistEvent): WaitlistState {
  if (event.type === 'WaitlistJoined') return { status: 'waiting', ...event.data, passedSlots: [] };
  if (state.status === 'none') return state;
  const {
    offer: _offer,
    appointmentId: _appointmentId,
    ...entry
  } = state as Entry & {
    offer?: unknown;
    appointmentId?: unknown;
  };
  switch (event.type) {
    case 'WaitlistOfferMade': {
      const { entryId: _entryId, ...offer } = event.data;
      return { ...entry, status: 'offered', offer };
    }
    case 'WaitlistOfferAccepted':
      return state.status === 'offered' ? { ...entry, status: 'accepted', offer: state.offer } : state;
    case 'WaitlistOfferDeclined':
    case 'WaitlistOfferExpired':
    case 'WaitlistEntryReopened': {
      const passed =
        state.status === 'offered' || state.status === 'accepted' ? [slotKey(state.offer.slot)] : [];
      return { ...entry, status: 'waiting', passedSlots: [...entry.passedSlots, ...passed] };
    }
    case 'WaitlistEntryFulfilled':
      return { ...entry, status: 'fulfilled', appointmentId: event.data.appointmentId };
    case 'WaitlistEntryWithdrawn':
      return { ...entry, status: 'withdrawn' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
