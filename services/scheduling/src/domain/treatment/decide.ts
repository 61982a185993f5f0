import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireCode, requireCodes, requireId, requireInteger, requireLabel } from '../shared/fields.js';
import { requireMoney } from '../shared/money.js';
import {
  evolveTreatment,
  initialTreatmentState,
  type TreatmentDefinition,
  type TreatmentEvent,
  type TreatmentProfile,
  type TreatmentState,
} from './treatment.js';

const MAX_DURATION_MINUTES = 720;
const MAX_BUFFER_MINUTES = 240;
/** The longest time any appointment can hold a resource: the longest treatment and both buffers. */
export const MAX_HOLD_MINUTES = MAX_DURATION_MINUTES + 2 * MAX_BUFFER_MINUTES;

export type TreatmentCommand =
  | ({ type: 'AddTreatment'; treatmentId: string } & TreatmentDefinition)
  | ({ type: 'ReviseTreatment'; treatmentId: string } & TreatmentDefinition)
  | { type: 'DiscontinueTreatment'; treatmentId: string };

const optionalCode = (value: unknown, field: string) => (value === null ? null : requireCode(value, field));

/** A checked, normalised treatment: durations in whole minutes, deposit within the price. */
function requireProfile(c: { treatmentId: string } & TreatmentDefinition): TreatmentProfile {
  const price = requireMoney(c.price, 'price');
  const deposit = c.deposit === null ? null : requireMoney(c.deposit, 'deposit');
  if (deposit && deposit.currency !== price.currency) {
    throw errors.validation('DEPOSIT_CURRENCY_MISMATCH', 'The deposit must be in the currency of the price', {
      violations: [{ field: 'deposit.currency', message: `must be ${price.currency}` }],
    });
  }
  if (deposit && deposit.amountMinor > price.amountMinor) {
    throw errors.validation('DEPOSIT_EXCEEDS_PRICE', 'The deposit must not exceed the price', {
      violations: [{ field: 'deposit.amountMinor', message: 'must not exceed price.amountMinor' }],
    });
  }
  return {
    treatmentId: requireId(c.treatmentId, 'treatmentId'),
    name: requireLabel(c.name, 'name'),
    durationMinutes: requireInteger(
      c.durationMinutes,
      'durationMinutes',
      5,
      MAX_DURATION_MINUTES,
      'INVALID_DURATION',
    ),
    bufferBeforeMinutes: requireInteger(
      c.bufferBeforeMinutes,
      'bufferBeforeMinutes',
      0,
      MAX_BUFFER_MINUTES,
      'INVALID_BUFFER',
    ),
    bufferAfterMinutes: requireInteger(
      c.bufferAfterMinutes,
      'bufferAfterMinutes',
      0,
      MAX_BUFFER_MINUTES,
      'INVALID_BUFFER',
    ),
    requiredQualification: optionalCode(c.requiredQualification, 'requiredQualification'),
    eligibleRoles: requireCodes(c.eligibleRoles, 'eligibleRoles'),
    roomType: optionalCode(c.roomType, 'roomType'),
    deviceType: optionalCode(c.deviceType, 'deviceType'),
    price,
    deposit,
    minimumLeadTimeMinutes: requireInteger(
      c.minimumLeadTimeMinutes,
      'minimumLeadTimeMinutes',
      0,
      60 * 24 * 90,
      'INVALID_LEAD_TIME',
    ),
  };
}

export function decideTreatment(command: TreatmentCommand, state: TreatmentState): TreatmentEvent[] {
  switch (command.type) {
    case 'AddTreatment': {
      const data = requireProfile(command);
      if (state.status !== 'unknown') {
        throw errors.conflict('TREATMENT_ALREADY_EXISTS', 'A treatment with this id already exists');
      }
      return [{ type: 'TreatmentAdded', data }];
    }
    case 'ReviseTreatment': {
      const data = requireProfile(command);
      const current = requireOffered(state);
      const { status: _status, ...profile } = current;
      return JSON.stringify(profile) === JSON.stringify(data) ? [] : [{ type: 'TreatmentRevised', data }];
    }
    case 'DiscontinueTreatment':
      if (state.status === 'discontinued') return [];
      return [{ type: 'TreatmentDiscontinued', data: { treatmentId: requireOffered(state).treatmentId } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function requireOffered(state: TreatmentState) {
  switch (state.status) {
    case 'unknown':
      throw errors.notFound('TREATMENT_NOT_FOUND', 'No such treatment');
    case 'discontinued':
      throw errors.precondition('TREATMENT_DISCONTINUED', 'The treatment is no longer offered');
    case 'offered':
      return state;
    default: {
      const _exhaustive: never = state;
      throw errors.internal('UNREACHABLE', 'Unknown treatment state');
    }
  }
}

/** The treatment decider: one stream per treatment on the menu. */
export const treatment: Decider<TreatmentCommand, TreatmentEvent, TreatmentState> = {
  initialState: initialTreatmentState,
  evolve: evolveTreatment,
  decide: decideTreatment,
};
