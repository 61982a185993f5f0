import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireId, requireIds, requireInteger } from '../shared/fields.js';
import { parseInstant, toInstant, type Instant } from '../shared/instant.js';
import { requireTimeZone } from '../shared/time-zone.js';
import { invalid, requireCurrentOffer, requireStatus, requireWindows } from './guards.js';
import { offerRefusal } from './matching.js';
import {
  evolveWaitlist,
  initialWaitlistState,
  type ReopenReason,
  type WaitlistEvent,
  type WaitlistSlot,
  type WaitlistState,
  type WaitlistWindow,
} from './waitlist.js';

export type WaitlistCommand =
  | {
      type: 'JoinWaitlist';
      entryId: string;
      patientId: string;
      locationId: string;
      treatmentId: string;
      providerIds: string[];
      windows: WaitlistWindow[];
      priority: number;
      now: Instant;
    }
  | {
      type: 'MakeWaitlistOffer';
      entryId: string;
      offerId: string;
      slot: WaitlistSlot;
      /** The location's zone, to check the slot against the entry's wall-clock windows. */
      timeZone: string;
      expiresAt: Instant;
      now: Instant;
    }
  | { type: 'AcceptWaitlistOffer'; entryId: string; offerId: string; now: Instant }
  | { type: 'DeclineWaitlistOffer'; entryId: string; offerId: string; now: Instant }
  | { type: 'ExpireWaitlistOffer'; entryId: string; offerId: string; now: Instant }
  | { type: 'ReopenWaitlistEntry'; entryId: string; reasonCode: ReopenReason; now: Instant }
  | { type: 'FulfilWaitlistEntry'; entryId: string; appointmentId: string; now: Instant }
  | { type: 'WithdrawFromWaitlist'; entryId: string; now: Instant };

export function decideWaitlist(command: WaitlistCommand, state: WaitlistState): WaitlistEvent[] {
  switch (command.type) {
    case 'JoinWaitlist': {
      const data = {
        entryId: requireId(command.entryId, 'entryId'),
        patientId: requireId(command.patientId, 'patientId'),
        locationId: requireId(command.locationId, 'locationId'),
        treatmentId: requireId(command.treatmentId, 'treatmentId'),
        providerIds: requireIds(command.providerIds, 'providerIds'),
        windows: requireWindows(command.windows),
        priority: requireInteger(command.priority, 'priority', 0, 100, 'INVALID_PRIORITY'),
        joinedAt: toInstant(parseInstant(command.now, 'now')),
      };
      if (state.status !== 'none') throw errors.conflict('WAITLIST_ENTRY_ALREADY_EXISTS', 'Entry exists');
      return [{ type: 'WaitlistJoined', data }];
    }
    case 'MakeWaitlistOffer': {
      const offerId = requireId(command.offerId, 'offerId');
      const nowMs = parseInstant(command.now, 'now');
      const expiresMs = parseInstant(command.expiresAt, 'expiresAt');
      const startMs = parseInstant(command.slot.start, 'slot.start');
      const endMs = parseInstant(command.slot.end, 'slot.end');
      if (endMs <= startMs) throw invalid('END_BEFORE_START', 'The slot ends before it starts', 'slot.end');
      if (startMs <= nowMs) throw invalid('START_IN_PAST', 'The slot has already started', 'slot.start');
      if (expiresMs <= nowMs) throw invalid('EXPIRY_IN_PAST', 'The offer would expire at once', 'expiresAt');
      if (expiresMs > startMs)
        throw invalid('OFFER_OUTLIVES_SLOT', 'The offer must expire by the slot start', 'expiresAt');
      const entry = requireStatus(state, ['waiting']);
      const slot = {
        start: toInstant(startMs),
        end: toInstant(endMs),
        providerId: requireId(command.slot.providerId, 'slot.providerId'),
        roomId: command.slot.roomId === null ? null : requireId(command.slot.roomId, 'slot.roomId'),
        deviceId: command.slot.deviceId === null ? null : requireId(command.slot.deviceId, 'slot.deviceId'),
      };
      const wanted = { ...slot, locationId: entry.locationId, treatmentId: entry.treatmentId };
      const refusal = offerRefusal(entry, wanted, requireTimeZone(command.timeZone, 'timeZone'));
      if (refusal) throw errors.precondition(refusal, 'This slot cannot be offered to this entry');
      const offer = { offerId, slot, offeredAt: toInstant(nowMs), expiresAt: toInstant(expiresMs) };
      return [{ type: 'WaitlistOfferMade', data: { entryId: entry.entryId, ...offer } }];
    }
    case 'AcceptWaitlistOffer': {
      const entry = requireCurrentOffer(state, command.offerId);
      const nowMs = parseInstant(command.now, 'now');
      // The expiry timer may not have fired yet; an answer after the deadline still counts as late.
      if (nowMs >= Date.parse(entry.offer.expiresAt))
        throw errors.precondition('OFFER_EXPIRED', 'The offer expired');
      const data = { entryId: entry.entryId, offerId: command.offerId, acceptedAt: toInstant(nowMs) };
      return [{ type: 'WaitlistOfferAccepted', data }];
    }
    case 'DeclineWaitlistOffer': {
      const entry = requireCurrentOffer(state, command.offerId);
      const data = {
        entryId: entry.entryId,
        offerId: command.offerId,
        declinedAt: toInstant(parseInstant(command.now, 'now')),
      };
      return [{ type: 'WaitlistOfferDeclined', data }];
    }
    case 'ExpireWaitlistOffer': {
      // Timers fire late and twice: an offer already answered or replaced expires as a no-op.
      if (state.status !== 'offered' || state.offer.offerId !== command.offerId) return [];
      const nowMs = parseInstant(command.now, 'now');
      if (nowMs < Date.parse(state.offer.expiresAt)) {
        throw errors.precondition('OFFER_NOT_YET_EXPIRED', 'The offer has not expired yet');
      }
      return [
        {
          type: 'WaitlistOfferExpired',
          data: { entryId: state.entryId, offerId: command.offerId, expiredAt: toInstant(nowMs) },
        },
      ];
    }
    case 'ReopenWaitlistEntry': {
      const entry = requireStatus(state, ['accepted']);
      if (command.reasonCode !== 'slot_taken' && command.reasonCode !== 'booking_failed') {
        throw invalid('INVALID_REASON_CODE', 'Unknown reopen reason', 'reasonCode');
      }
      const data = {
        entryId: entry.entryId,
        reasonCode: command.reasonCode,
        reopenedAt: toInstant(parseInstant(command.now, 'now')),
      };
      return [{ type: 'WaitlistEntryReopened', data }];
    }
    case 'FulfilWaitlistEntry': {
      const appointmentId = requireId(command.appointmentId, 'appointmentId');
      if (state.status === 'fulfilled' && state.appointmentId === appointmentId) return [];
      const entry = requireStatus(state, ['accepted']);
      const data = {
        entryId: entry.entryId,
        appointmentId,
        fulfilledAt: toInstant(parseInstant(command.now, 'now')),
      };
      return [{ type: 'WaitlistEntryFulfilled', data }];
    }
    case 'WithdrawFromWaitlist': {
      if (state.status === 'withdrawn') return [];
      const entry = requireStatus(state, ['waiting', 'offered']);
      return [
        {
          type: 'WaitlistEntryWithdrawn',
          data: { entryId: entry.entryId, withdrawnAt: toInstant(parseInstant(command.now, 'now')) },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The waitlist decider: one stream per waitlist entry. */
export const waitlist: Decider<WaitlistCommand, WaitlistEvent, WaitlistState> = {
  initialState: initialWaitlistState,
  evolve: evolveWaitlist,
  decide: decideWaitlist,
};
