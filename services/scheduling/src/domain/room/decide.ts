import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireCode, requireId, requireLabel } from '../shared/fields.js';
import { evolveRoom, initialRoomState, type RoomEvent, type RoomState } from './room.js';

export type RoomCommand =
  | { type: 'AddRoom'; roomId: string; locationId: string; name: string; roomType: string }
  | { type: 'RetypeRoom'; roomId: string; roomType: string }
  | { type: 'RetireRoom'; roomId: string };

export function decideRoom(command: RoomCommand, state: RoomState): RoomEvent[] {
  switch (command.type) {
    case 'AddRoom': {
      const data = {
        roomId: requireId(command.roomId, 'roomId'),
        locationId: requireId(command.locationId, 'locationId'),
        name: requireLabel(command.name, 'name'),
        roomType: requireCode(command.roomType, 'roomType'),
      };
      if (state.status !== 'unknown')
        throw errors.conflict('ROOM_ALREADY_EXISTS', 'A room with this id exists');
      return [{ type: 'RoomAdded', data }];
    }
    case 'RetypeRoom': {
      const roomType = requireCode(command.roomType, 'roomType');
      const room = requireInService(state);
      return room.roomType === roomType
        ? []
        : [{ type: 'RoomRetyped', data: { roomId: room.roomId, roomType } }];
    }
    case 'RetireRoom':
      if (state.status === 'retired') return [];
      return [{ type: 'RoomRetired', data: { roomId: requireInService(state).roomId } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function requireInService(state: RoomState) {
  switch (state.status) {
    case 'unknown':
      throw errors.notFound('ROOM_NOT_FOUND', 'No such room');
    case 'retired':
      throw errors.precondition('ROOM_RETIRED', 'The room is retired');
    case 'in_service':
      return state;
    default: {
      const _exhaustive: never = state;
      throw errors.internal('UNREACHABLE', 'Unknown room state');
    }
  }
}

/** The room decider: one stream per room. */
export const room: Decider<RoomCommand, RoomEvent, RoomState> = {
  initialState: initialRoomState,
  evolve: evolveRoom,
  decide: decideRoom,
};
