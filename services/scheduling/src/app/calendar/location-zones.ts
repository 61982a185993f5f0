import type { EventStore } from '@medspa/eventstore';
import { errors } from '@medspa/errors';
import { loadStream, STREAMS, streamIdOf } from '../streams.js';

/**
 * The time zone of each location, read from its stream once per process. A location's zone is set
 * once, at registration (domain/location/location.ts: a move is a new location), so a remembered
 * zone never goes stale and needs no invalidation. Entries are keyed by tenant and location: a
 * request of another clinic misses and goes to the stream, which refuses it. Unknown locations
 * are not remembered, so one registered a moment later is found.
 */
export interface LocationZones {
  /** The location's IANA zone; LOCATION_NOT_FOUND when this tenant has no such location. */
  zoneOf(tenantId: string, locationId: string): Promise<string>;
}

export function createLocationZones(store: EventStore, maxEntries = 10_000): LocationZones {
  const zones = new Map<string, string>();
  return {
    async zoneOf(tenantId, locationId) {
      const key = `${tenantId}/${locationId}`;
      const known = zones.get(key);
      if (known !== undefined) return known;
      const { state } = await loadStream(
        store,
        streamIdOf('location', locationId),
        STREAMS.location.decider,
        tenantId,
        'LOCATION_NOT_FOUND',
      );
      if (state.status === 'unregistered') throw errors.notFound('LOCATION_NOT_FOUND', 'No such location');
      // Locations are few; the bound only keeps a flood of distinct ids from growing the map.
      if (zones.size >= maxEntries) zones.clear();
      zones.set(key, state.timeZone);
      return state.timeZone;
    },
  };
}
