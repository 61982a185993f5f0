import { errors, isAppError } from '@medspa/errors';
import {
  handleCommand,
  type Decider,
  type DomainEvent,
  type EventMetadata,
  type EventStore,
} from '@medspa/eventstore';
import {
  type DeviceCommand,
  type LocationCommand,
  type ProviderCommand,
  type ProviderScheduleCommand,
  type RoomCommand,
  type TreatmentCommand,
} from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { loadStream, STREAMS, streamIdOf, type StreamType } from './streams.js';

// The clinic's setup: each command goes to its own stream through the library's single-stream
// handler (load, decide, append, retry on a conflict). Commands that refer to another record
// (a room's location, a schedule's provider) check it exists in this tenant first.

type CatalogueStream = Exclude<StreamType, 'appointment' | 'calendar' | 'waitlist'>;

async function run<C, E extends DomainEvent, S>(
  store: EventStore,
  kind: CatalogueStream,
  decider: Decider<C, E, S>,
  id: string,
  command: C,
  metadata: EventMetadata,
): Promise<void> {
  try {
    await handleCommand(store, decider, {
      streamId: streamIdOf(kind, id),
      streamType: STREAMS[kind].type,
      command,
      metadata,
    });
  } catch (e) {
    // Another tenant's stream: report it as this kind of record not found.
    if (isAppError(e) && e.reason === 'STREAM_NOT_FOUND') {
      throw errors.notFound(`${kind.toUpperCase()}_NOT_FOUND`, `No such ${kind.replace('_', ' ')}`);
    }
    throw e;
  }
}

/** An active location or provider of this tenant, or NOT_FOUND / FAILED_PRECONDITION. */
async function requireActive(
  store: EventStore,
  kind: 'location' | 'provider',
  id: string,
  field: string,
  tenantId: string,
): Promise<void> {
  const checked = requireId(id, field);
  const reason = `${kind.toUpperCase()}_NOT_FOUND`;
  const decider = STREAMS[kind].decider as Decider<unknown, DomainEvent, { status: string }>;
  const { state } = await loadStream(store, streamIdOf(kind, checked), decider, tenantId, reason);
  if (state.status === 'active') return;
  if (state.status === 'inactive') {
    throw errors.precondition(`${kind.toUpperCase()}_INACTIVE`, `The ${kind} is inactive`);
  }
  throw errors.notFound(reason, `No such ${kind}`);
}

export function catalogueCommands(store: EventStore) {
  return {
    registerLocation: (c: Extract<LocationCommand, { type: 'RegisterLocation' }>, m: EventMetadata) =>
      run(store, 'location', STREAMS.location.decider, c.locationId, c, m),

    onboardProvider: (c: Extract<ProviderCommand, { type: 'OnboardProvider' }>, m: EventMetadata) =>
      run(store, 'provider', STREAMS.provider.decider, c.providerId, c, m),

    async addRoom(c: Extract<RoomCommand, { type: 'AddRoom' }>, m: EventMetadata) {
      await requireActive(store, 'location', c.locationId, 'locationId', m.tenantId);
      await run(store, 'room', STREAMS.room.decider, c.roomId, c, m);
    },

    async addDevice(c: Extract<DeviceCommand, { type: 'AddDevice' }>, m: EventMetadata) {
      await requireActive(store, 'location', c.locationId, 'locationId', m.tenantId);
      await run(store, 'device', STREAMS.device.decider, c.deviceId, c, m);
    },

    async setWorkingHours(
      c: Extract<ProviderScheduleCommand, { type: 'SetWorkingHours' }>,
      m: EventMetadata,
    ) {
      await requireActive(store, 'provider', c.providerId, 'providerId', m.tenantId);
      await requireActive(store, 'location', c.locationId, 'locationId', m.tenantId);
      await run(store, 'provider_schedule', STREAMS.provider_schedule.decider, c.providerId, c, m);
    },

    async scheduleTimeOff(
      c: Extract<ProviderScheduleCommand, { type: 'ScheduleTimeOff' }>,
      m: EventMetadata,
    ) {
      await requireActive(store, 'provider', c.providerId, 'providerId', m.tenantId);
      await run(store, 'provider_schedule', STREAMS.provider_schedule.decider, c.providerId, c, m);
    },

    addTreatment: (c: Extract<TreatmentCommand, { type: 'AddTreatment' }>, m: EventMetadata) =>
      run(store, 'treatment', STREAMS.treatment.decider, c.treatmentId, c, m),

    // Changes to records that exist: the decider refuses an unknown or closed one; another
    // tenant's id reads as not found. The id is checked first so a malformed one never names a stream.
    changeLocation: (c: Exclude<LocationCommand, { type: 'RegisterLocation' }>, m: EventMetadata) =>
      run(store, 'location', STREAMS.location.decider, requireId(c.locationId, 'locationId'), c, m),
    changeProvider: (c: Exclude<ProviderCommand, { type: 'OnboardProvider' }>, m: EventMetadata) =>
      run(store, 'provider', STREAMS.provider.decider, requireId(c.providerId, 'providerId'), c, m),
    changeSchedule: (
      c: Extract<ProviderScheduleCommand, { type: 'ClearWorkingHours' | 'CancelTimeOff' }>,
      m: EventMetadata,
    ) =>
      run(
        store,
        'provider_schedule',
        STREAMS.provider_schedule.decider,
        requireId(c.providerId, 'providerId'),
        c,
        m,
      ),
    changeRoom: (c: Exclude<RoomCommand, { type: 'AddRoom' }>, m: EventMetadata) =>
      run(store, 'room', STREAMS.room.decider, requireId(c.roomId, 'roomId'), c, m),
    changeDevice: (c: Exclude<DeviceCommand, { type: 'AddDevice' }>, m: EventMetadata) =>
      run(store, 'device', STREAMS.device.decider, requireId(c.deviceId, 'deviceId'), c, m),
    changeTreatment: (c: Exclude<TreatmentCommand, { type: 'AddTreatment' }>, m: EventMetadata) =>
      run(store, 'treatment', STREAMS.treatment.decider, requireId(c.treatmentId, 'treatmentId'), c, m),
  };
}

export type CatalogueCommands = ReturnType<typeof catalogueCommands>;
