import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, it } from 'vitest';
import { waitlist, type WaitlistCommand } from './decide.js';
import type { WaitlistEvent, WaitlistSlot } from './waitlist.js';

const spec = deciderSpec(waitlist);
const zone = 'America/New_York';
const [entryId, patientId, locationId, treatmentId, providerId, offerId] = [0, 1, 2, 3, 4, 5].map(() =>
  newId(),
) as [string, string, string, string, string, string];
const join: Extract<WaitlistCommand, { type: 'JoinWaitlist' }> = {
  type: 'JoinWaitlist',
  entryId,
  patientId,
  locationId,
  treatmentId,
  providerIds: [providerId],
  windows: [{ fromDate: '2026-06-01', toDate: '2026-06-05', earliest: '09:00', latest: '12:00' }],
  priority: 10,
  now: '2026-05-20T12:00:00Z',
};
const { type: _type, now: _now, ...details } = join;
const joined: WaitlistEvent = {
  type: 'WaitlistJoined',
  data: { ...details, joinedAt: '2026-05-20T12:00:00.000Z' },
};
// Tuesday 2026-06-02, 10:00–11:00 EDT.
const slot: WaitlistSlot = {
  start: '2026-06-02T14:00:00.000Z',
  end: '2026-06-02T15:00:00.000Z',
  providerId,
  roomId: null,
  deviceId: null,
};
const offer: WaitlistCommand = {
  type: 'MakeWaitlistOffer',
  entryId,
  offerId,
  slot,
  timeZone: zone,
  expiresAt: '2026-06-01T12:15:00Z',
  now: '2026-06-01T12:00:00Z',
};
const offered: WaitlistEvent = {
  type: 'WaitlistOfferMade',
  data: {
    entryId,
    offerId,
    slot,
    offeredAt: '2026-06-01T12:00:00.000Z',
    expiresAt: '2026-06-01T12:15:00.000Z',
  },
};
const answer = (
  type: 'AcceptWaitlistOffer' | 'DeclineWaitlistOffer' | 'ExpireWaitlistOffer',
  now: string,
  id = offerId,
) => ({ type, entryId, offerId: id, now }) as WaitlistCommand;

describe('waitlist entry', () => {
  it('is joined with windows and a priority', () => {
    spec.given([]).when(join).then([joined]);
    spec
      .given([])
      .when({ ...join, windows: [] })
      .thenThrows('INVALID_WINDOWS');
    spec
      .given([])
      .when({ ...join, windows: [{ ...join.windows[0]!, latest: '08:00' }] })
      .thenThrows('END_BEFORE_START');
    spec
      .given([])
      .when({ ...join, priority: 101 })
      .thenThrows('INVALID_PRIORITY');
  });

  it('is offered a slot that fits its windows and providers, one offer at a time', () => {
    spec.given([joined]).when(offer).then([offered]);
    spec
      .given([joined])
      .when({ ...offer, slot: { ...slot, start: '2026-06-02T16:00:00Z', end: '2026-06-02T17:00:00Z' } })
      .thenThrows('SLOT_OUTSIDE_WINDOWS');
    spec
      .given([joined])
      .when({ ...offer, slot: { ...slot, providerId: newId() } })
      .thenThrows('PROVIDER_NOT_ACCEPTABLE');
    spec
      .given([joined])
      .when({ ...offer, expiresAt: '2026-06-02T15:00:00Z' })
      .thenThrows('OFFER_OUTLIVES_SLOT');
    spec
      .given([joined, offered])
      .when({ ...offer, offerId: newId() })
      .thenThrows('OFFER_PENDING');
  });

  it('accepts an offer before it expires, not after', () => {
    spec
      .given([joined, offered])
      .when(answer('AcceptWaitlistOffer', '2026-06-01T12:10:00Z'))
      .then([
        { type: 'WaitlistOfferAccepted', data: { entryId, offerId, acceptedAt: '2026-06-01T12:10:00.000Z' } },
      ]);
    spec
      .given([joined, offered])
      .when(answer('AcceptWaitlistOffer', '2026-06-01T12:15:00Z'))
      .thenThrows('OFFER_EXPIRED');
    spec
      .given([joined, offered])
      .when(answer('AcceptWaitlistOffer', '2026-06-01T12:10:00Z', newId()))
      .thenThrows('OFFER_NOT_CURRENT');
    spec
      .given([joined])
      .when(answer('AcceptWaitlistOffer', '2026-06-01T12:10:00Z'))
      .thenThrows('NO_OFFER_PENDING');
  });

  it('goes back to waiting on a decline or an expiry, and is never offered that slot again', () => {
    const declined: WaitlistEvent = {
      type: 'WaitlistOfferDeclined',
      data: { entryId, offerId, declinedAt: '2026-06-01T12:05:00.000Z' },
    };
    spec
      .given([joined, offered])
      .when(answer('DeclineWaitlistOffer', '2026-06-01T12:05:00Z'))
      .then([declined]);
    spec
      .given([joined, offered, declined])
      .when({ ...offer, offerId: newId() })
      .thenThrows('SLOT_ALREADY_PASSED');
    spec
      .given([joined, offered])
      .when(answer('ExpireWaitlistOffer', '2026-06-01T12:14:00Z'))
      .thenThrows('OFFER_NOT_YET_EXPIRED');
    const expired: WaitlistEvent = {
      type: 'WaitlistOfferExpired',
      data: { entryId, offerId, expiredAt: '2026-06-01T12:16:00.000Z' },
    };
    spec.given([joined, offered]).when(answer('ExpireWaitlistOffer', '2026-06-01T12:16:00Z')).then([expired]);
    spec
      .given([joined, offered, expired])
      .when(answer('ExpireWaitlistOffer', '2026-06-01T12:17:00Z'))
      .thenNothingHappens();
  });

  it('is fulfilled by the booking, or reopened when the booking fails; and can be withdrawn', () => {
    const accepted: WaitlistEvent = {
      type: 'WaitlistOfferAccepted',
      data: { entryId, offerId, acceptedAt: '2026-06-01T12:10:00.000Z' },
    };
    const appointmentId = newId();
    const fulfil: WaitlistCommand = {
      type: 'FulfilWaitlistEntry',
      entryId,
      appointmentId,
      now: '2026-06-01T12:11:00Z',
    };
    const fulfilled: WaitlistEvent = {
      type: 'WaitlistEntryFulfilled',
      data: { entryId, appointmentId, fulfilledAt: '2026-06-01T12:11:00.000Z' },
    };
    spec.given([joined, offered, accepted]).when(fulfil).then([fulfilled]);
    spec.given([joined, offered, accepted, fulfilled]).when(fulfil).thenNothingHappens();
    spec
      .given([joined, offered, accepted])
      .when({ type: 'ReopenWaitlistEntry', entryId, reasonCode: 'slot_taken', now: '2026-06-01T12:11:00Z' })
      .then([
        {
          type: 'WaitlistEntryReopened',
          data: { entryId, reasonCode: 'slot_taken', reopenedAt: '2026-06-01T12:11:00.000Z' },
        },
      ]);
    const withdrawn: WaitlistEvent = {
      type: 'WaitlistEntryWithdrawn',
      data: { entryId, withdrawnAt: '2026-06-01T12:00:00.000Z' },
    };
    spec
      .given([joined])
      .when({ type: 'WithdrawFromWaitlist', entryId, now: '2026-06-01T12:00:00Z' })
      .then([withdrawn]);
    spec
      .given([joined, withdrawn])
      .when({ type: 'WithdrawFromWaitlist', entryId, now: '2026-06-01T12:00:00Z' })
      .thenNothingHappens();
    spec.given([joined, withdrawn]).when(offer).thenThrows('WAITLIST_ENTRY_WITHDRAWN');
    spec
      .given([joined, offered, accepted, fulfilled])
      .when({ type: 'WithdrawFromWaitlist', entryId, now: '2026-06-01T12:00:00Z' })
      .thenThrows('WAITLIST_ENTRY_FULFILLED');
  });
});
