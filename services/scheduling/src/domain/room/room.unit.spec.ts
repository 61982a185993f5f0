import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, it } from 'vitest';
import { device } from '../device/decide.js';
import { room } from './decide.js';

const roomId = newId();
const deviceId = newId();
const locationId = newId();

describe('room', () => {
  const spec = deciderSpec(room);
  const added = {
    type: 'RoomAdded' as const,
    data: { roomId, locationId, name: 'Suite 2', roomType: 'laser_suite' },
  };

  it('is added with a room type, retyped and retired', () => {
    spec
      .given([])
      .when({ type: 'AddRoom', roomId, locationId, name: 'Suite 2', roomType: 'laser_suite' })
      .then([added]);
    spec
      .given([])
      .when({ type: 'AddRoom', roomId, locationId, name: '', roomType: 'laser_suite' })
      .thenThrows('INVALID_NAME');
    spec
      .given([added])
      .when({ type: 'AddRoom', roomId, locationId, name: 'x', roomType: 'laser_suite' })
      .thenThrows('ROOM_ALREADY_EXISTS');
    spec
      .given([added])
      .when({ type: 'RetypeRoom', roomId, roomType: 'treatment_room' })
      .then([{ type: 'RoomRetyped', data: { roomId, roomType: 'treatment_room' } }]);
    spec.given([added]).when({ type: 'RetypeRoom', roomId, roomType: 'laser_suite' }).thenNothingHappens();
    spec
      .given([added])
      .when({ type: 'RetireRoom', roomId })
      .then([{ type: 'RoomRetired', data: { roomId } }]);
    spec
      .given([added, { type: 'RoomRetired', data: { roomId } }])
      .when({ type: 'RetypeRoom', roomId, roomType: 'x' })
      .thenThrows('ROOM_RETIRED');
    spec.given([]).when({ type: 'RetireRoom', roomId }).thenThrows('ROOM_NOT_FOUND');
  });
});

describe('device', () => {
  const spec = deciderSpec(device);
  const added = {
    type: 'DeviceAdded' as const,
    data: { deviceId, locationId, name: 'CO2 #1', deviceType: 'co2_laser' },
  };

  it('is added with a device type and retired', () => {
    spec
      .given([])
      .when({ type: 'AddDevice', deviceId, locationId, name: 'CO2 #1', deviceType: 'co2_laser' })
      .then([added]);
    spec
      .given([])
      .when({ type: 'AddDevice', deviceId, locationId, name: 'CO2', deviceType: 'CO2 Laser' })
      .thenThrows('INVALID_CODE');
    spec
      .given([added])
      .when({ type: 'RetireDevice', deviceId })
      .then([{ type: 'DeviceRetired', data: { deviceId } }]);
    spec
      .given([added, { type: 'DeviceRetired', data: { deviceId } }])
      .when({ type: 'RetireDevice', deviceId })
      .thenNothingHappens();
  });
});
