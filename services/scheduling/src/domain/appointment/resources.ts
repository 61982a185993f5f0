import { errors } from '@medspa/errors';
import type { DeviceState } from '../device/device.js';
import type { RoomState } from '../room/room.js';
import { requireId } from '../shared/fields.js';

type Kind = 'room' | 'device';

const typeOf = (state: RoomState | DeviceState): string =>
  'roomType' in state ? state.roomType : 'deviceType' in state ? state.deviceType : '';
const idOf = (state: RoomState | DeviceState): string =>
  'roomId' in state ? state.roomId : 'deviceId' in state ? state.deviceId : '';

/**
 * The room or device a booking names, checked against what the treatment needs: required when the
 * treatment names a type, refused when it names none (so availability and booking agree on what
 * is held), in service, at the booking's location and of the right type. Returns its id or null.
 */
export function requireUsableResource(
  kind: Kind,
  chosenId: string | null,
  state: RoomState | DeviceState | null,
  neededType: string | null,
  locationId: string,
): string | null {
  const K = kind.toUpperCase();
  const field = `${kind}Id`;
  const fail = (reason: string, message: string) =>
    errors.validation(reason, message, { violations: [{ field, message }] });
  if (neededType === null) {
    if (chosenId !== null) throw fail(`${K}_NOT_NEEDED`, `This treatment uses no ${kind}`);
    return null;
  }
  if (chosenId === null) throw fail(`${K}_REQUIRED`, `This treatment needs a ${kind} of type ${neededType}`);
  const id = requireId(chosenId, field);
  if (!state || state.status === 'unknown' || idOf(state) !== id) {
    throw errors.notFound(`${K}_NOT_FOUND`, `No such ${kind}`);
  }
  if (state.status === 'retired') throw errors.precondition(`${K}_RETIRED`, `The ${kind} is retired`);
  if (state.locationId !== locationId)
    throw fail(`${K}_AT_OTHER_LOCATION`, `The ${kind} is at another location`);
  if (typeOf(state) !== neededType) {
    throw fail(`${K}_TYPE_MISMATCH`, `This treatment needs a ${kind} of type ${neededType}`);
  }
  return id;
}
