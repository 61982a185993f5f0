// A treatment room of one location. Its calendar days are kept in that location's zone, which is
// why a room never moves: a room elsewhere is a new room.

export interface RoomProfile {
  roomId: string;
  locationId: string;
  name: string;
  /** What the room is fitted for, e.g. `treatment_room`, `laser_suite`; treatments ask for one. */
  roomType: string;
}

export type RoomEvent =
  | { type: 'RoomAdded'; data: RoomProfile }
  | { type: 'RoomRetyped'; data: { roomId: string; roomType: string } }
  | { type: 'RoomRetired'; data: { roomId: string } };

export type RoomState =
  { status: 'unknown' } | ({ status: 'in_service' } & RoomProfile) | ({ status: 'retired' } & RoomProfile);

export const initialRoomState = (): RoomState => ({ status: 'unknown' });

export function evolveRoom(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'RoomAdded':
      return { status: 'in_service', ...event.data };
    case 'RoomRetyped':
      return state.status === 'unknown' ? state : { ...state, roomType: event.data.roomType };
    case 'RoomRetired':
      return state.status === 'unknown' ? state : { ...state, status: 'retired' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
