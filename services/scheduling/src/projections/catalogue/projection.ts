import type { Decider, DomainEvent } from '@medspa/eventstore';
import { defineProjection } from '@medspa/projections';
import { STREAMS, type StreamType } from '../../app/streams.js';
import { SCHEMA } from '../schema.js';

// The clinic's setup as search needs it: each catalogue stream's current state, evolved by the
// domain's own evolve, one row per location, provider, schedule, room, device and treatment.

export const CATALOGUE_STREAM_TYPES = [
  'location',
  'provider',
  'provider_schedule',
  'room',
  'device',
  'treatment',
] as const satisfies readonly StreamType[];

type CatalogueStreamType = (typeof CATALOGUE_STREAM_TYPES)[number];

const table = `${SCHEMA}.catalogue`;

export const catalogueProjection = defineProjection({
  name: 'catalogue',
  streamTypes: CATALOGUE_STREAM_TYPES,
  tables: ['catalogue'],
  async apply(db, event) {
    const type = event.streamType as CatalogueStreamType;
    const decider = STREAMS[type].decider as unknown as Decider<
      unknown,
      DomainEvent,
      Record<string, unknown>
    >;
    const entityId = event.streamId.slice(type.length + 1);
    const found = await db.query<{ state: Record<string, unknown> }>(
      `SELECT state FROM ${table} WHERE tenant_id = $1 AND stream_type = $2 AND entity_id = $3`,
      [event.metadata.tenantId, type, entityId],
    );
    const before = found.rows[0]?.state ?? decider.initialState();
    const state = decider.evolve(before, { type: event.type, data: event.data });
    // Rooms and devices belong to one location; search reads them by it.
    const locationId =
      (type === 'room' || type === 'device') && typeof state.locationId === 'string'
        ? state.locationId
        : null;
    await db.query(
      `INSERT INTO ${table} (tenant_id, stream_type, entity_id, location_id, state)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, stream_type, entity_id)
       DO UPDATE SET location_id = EXCLUDED.location_id, state = EXCLUDED.state`,
      [event.metadata.tenantId, type, entityId, locationId, JSON.stringify(state)],
    );
  },
});
