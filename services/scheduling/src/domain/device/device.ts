// A device (a laser, an RF microneedling unit…) kept at one location. Its calendar days are kept
// in that location's zone, so a device moved for good to another location is registered anew.

export interface DeviceProfile {
  deviceId: string;
  locationId: string;
  name: string;
  /** The kind of device, e.g. `co2_laser`, `ipl`; treatments ask for one. */
  deviceType: string;
}

export type DeviceEvent =
  | { type: 'DeviceAdded'; data: DeviceProfile }
  | { type: 'DeviceRetyped'; data: { deviceId: string; deviceType: string } }
  | { type: 'DeviceRetired'; data: { deviceId: string } };

export type DeviceState =
  | { status: 'unknown' }
  | ({ status: 'in_service' } & DeviceProfile)
  | ({ status: 'retired' } & DeviceProfile);

export const initialDeviceState = (): DeviceState => ({ status: 'unknown' });

export function evolveDevice(state: DeviceState, event: DeviceEvent): DeviceState {
  switch (event.type) {
    case 'DeviceAdded':
      return { status: 'in_service', ...event.data };
    case 'DeviceRetyped':
      return state.status === 'unknown' ? state : { ...state, deviceType: event.data.deviceType };
    case 'DeviceRetired':
      return state.status === 'unknown' ? state : { ...state, status: 'retired' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
