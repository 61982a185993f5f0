import type { Queryable } from '@medspa/db';
import type {
  DeviceState,
  ProviderForSearch,
  ProviderScheduleState,
  ProviderState,
  RoomState,
} from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.catalogue`;

export interface LocationResources {
  /** Active providers with working hours at the location. */
  providers: ProviderForSearch[];
  /** Rooms and devices in service at the location. */
  rooms: { roomId: string; roomType: string }[];
  devices: { deviceId: string; deviceType: string }[];
}

/**
 * The ids of the calendar's columns at a location, as two scalar subqueries each giving a sorted
 * JSON array: active providers with working hours there (as `resourcesAt`), rooms in service. The
 * arguments are SQL placeholders or literals of the tenant and location uuids.
 */
export const calendarColumnIdsJson = (tenant: string, location: string) => ({
  providerIds: `SELECT coalesce(json_agg(p.state->>'providerId' ORDER BY s.entity_id), '[]')
     FROM ${table} s JOIN ${table} p
       ON p.tenant_id = s.tenant_id AND p.stream_type = 'provider' AND p.entity_id = s.entity_id
    WHERE s.tenant_id = ${tenant} AND s.stream_type = 'provider_schedule'
      AND s.state->'locations' ? ${location}::text AND p.state->>'status' = 'active'`,
  roomIds: `SELECT coalesce(json_agg(state->>'roomId' ORDER BY entity_id), '[]')
     FROM ${table}
    WHERE tenant_id = ${tenant} AND stream_type = 'room' AND location_id = ${location}
      AND state->>'status' = 'in_service'`,
});

/** The resources of one location, in two indexed reads (inside a tenant-scoped transaction). */
export async function resourcesAt(db: Queryable, locationId: string): Promise<LocationResources> {
  const providers = await db.query<{ provider: ProviderState; schedule: ProviderScheduleState }>(
    `SELECT p.state AS provider, s.state AS schedule
       FROM ${table} s JOIN ${table} p
         ON p.tenant_id = s.tenant_id AND p.stream_type = 'provider' AND p.entity_id = s.entity_id
      WHERE s.stream_type = 'provider_schedule' AND s.state->'locations' ? $1::text
        AND p.state->>'status' = 'active'
      ORDER BY s.entity_id`,
    [locationId],
  );
  const equipment = await db.query<{ stream_type: string; state: RoomState | DeviceState }>(
    `SELECT stream_type, state FROM ${table}
      WHERE stream_type IN ('room', 'device') AND location_id = $1 AND state->>'status' = 'in_service'
      ORDER BY entity_id`,
    [locationId],
  );
  const rooms: LocationResources['rooms'] = [];
  const devices: LocationResources['devices'] = [];
  for (const { state } of equipment.rows) {
    if (state.status !== 'in_service') continue;
    if ('roomId' in state) rooms.push({ roomId: state.roomId, roomType: state.roomType });
    else devices.push({ deviceId: state.deviceId, deviceType: state.deviceType });
  }
  return {
    providers: providers.rows.flatMap(({ provider, schedule }) =>
      provider.status === 'active'
        ? [
            {
              providerId: provider.providerId,
              roles: provider.roles,
              qualifications: provider.qualifications,
              schedule: schedule.locations[locationId] ?? null,
              timeOff: schedule.timeOff,
            },
          ]
        : [],
    ),
    rooms,
    devices,
  };
}
