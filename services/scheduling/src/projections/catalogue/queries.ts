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
