import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireCode, requireId, requireLabel } from '../shared/fields.js';
import { evolveDevice, initialDeviceState, type DeviceEvent, type DeviceState } from './device.js';

export type DeviceCommand =
  | { type: 'AddDevice'; deviceId: string; locationId: string; name: string; deviceType: string }
  | { type: 'RetypeDevice'; deviceId: string; deviceType: string }
  | { type: 'RetireDevice'; deviceId: string };

export function decideDevice(command: DeviceCommand, state: DeviceState): DeviceEvent[] {
  switch (command.type) {
    case 'AddDevice': {
      const data = {
        deviceId: requireId(command.deviceId, 'deviceId'),
        locationId: requireId(command.locationId, 'locationId'),
        name: requireLabel(command.name, 'name'),
        deviceType: requireCode(command.deviceType, 'deviceType'),
      };
      if (state.status !== 'unknown')
        throw errors.conflict('DEVICE_ALREADY_EXISTS', 'A device with this id exists');
      return [{ type: 'DeviceAdded', data }];
    }
    case 'RetypeDevice': {
      const deviceType = requireCode(command.deviceType, 'deviceType');
      const device = requireInService(state);
      return device.deviceType === deviceType
        ? []
        : [{ type: 'DeviceRetyped', data: { deviceId: device.deviceId, deviceType } }];
    }
    case 'RetireDevice':
      if (state.status === 'retired') return [];
      return [{ type: 'DeviceRetired', data: { deviceId: requireInService(state).deviceId } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function requireInService(state: DeviceState) {
  switch (state.status) {
    case 'unknown':
      throw errors.notFound('DEVICE_NOT_FOUND', 'No such device');
    case 'retired':
      throw errors.precondition('DEVICE_RETIRED', 'The device is retired');
    case 'in_service':
      return state;
    default: {
      const _exhaustive: never = state;
      throw errors.internal('UNREACHABLE', 'Unknown device state');
    }
  }
}

/** The device decider: one stream per device. */
export const device: Decider<DeviceCommand, DeviceEvent, DeviceState> = {
  initialState: initialDeviceState,
  evolve: evolveDevice,
  decide: decideDevice,
};
