import { WaitlistEntryStatus, type WaitlistEntry } from '@medspa/contracts/medspa.scheduling.v1';
import type { WaitlistState } from '../../domain/index.js';

type Entry = Exclude<WaitlistState, { status: 'none' }>;

const STATUS: Record<Entry['status'], WaitlistEntryStatus> = {
  waiting: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING,
  offered: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_OFFERED,
  accepted: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_ACCEPTED,
  fulfilled: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_FULFILLED,
  withdrawn: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WITHDRAWN,
};

/** A waitlist entry as the API shows it: ids, windows, times and codes. */
export function toWaitlistEntryMessage(state: Entry, version: number): WaitlistEntry {
  const offer = state.status === 'offered' || state.status === 'accepted' ? state.offer : null;
  return {
    entryId: state.entryId,
    patientId: state.patientId,
    locationId: state.locationId,
    treatmentId: state.treatmentId,
    providerIds: state.providerIds,
    windows: state.windows.map((w) => ({ ...w })),
    priority: state.priority,
    status: STATUS[state.status],
    joinedAt: new Date(state.joinedAt),
    offer: offer
      ? {
          offerId: offer.offerId,
          start: new Date(offer.slot.start),
          end: new Date(offer.slot.end),
          providerId: offer.slot.providerId,
          roomId: offer.slot.roomId ?? '',
          deviceId: offer.slot.deviceId ?? '',
          offeredAt: new Date(offer.offeredAt),
          expiresAt: new Date(offer.expiresAt),
        }
      : undefined,
    appointmentId: state.status === 'fulfilled' ? state.appointmentId : '',
    version,
  };
}
