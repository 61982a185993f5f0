import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireCodes, requireId } from '../shared/fields.js';
import { requireTimeZone } from '../shared/time-zone.js';
import { evolveProvider, initialProviderState, type ProviderEvent, type ProviderState } from './provider.js';

export type ProviderCommand =
  | {
      type: 'OnboardProvider';
      providerId: string;
      roles: string[];
      qualifications: string[];
      calendarTimeZone: string;
    }
  | { type: 'ChangeProviderCredentials'; providerId: string; roles: string[]; qualifications: string[] }
  | { type: 'DeactivateProvider'; providerId: string };

function requireRoles(value: unknown): string[] {
  const roles = requireCodes(value, 'roles');
  if (roles.length === 0) {
    throw errors.validation('NO_ROLES', 'A provider needs at least one role', {
      violations: [{ field: 'roles', message: 'must not be empty' }],
    });
  }
  return roles;
}

export function decideProvider(command: ProviderCommand, state: ProviderState): ProviderEvent[] {
  switch (command.type) {
    case 'OnboardProvider': {
      const data = {
        providerId: requireId(command.providerId, 'providerId'),
        roles: requireRoles(command.roles),
        qualifications: requireCodes(command.qualifications, 'qualifications'),
        calendarTimeZone: requireTimeZone(command.calendarTimeZone, 'calendarTimeZone'),
      };
      if (state.status !== 'unknown') {
        throw errors.conflict('PROVIDER_ALREADY_EXISTS', 'A provider with this id already exists');
      }
      return [{ type: 'ProviderOnboarded', data }];
    }
    case 'ChangeProviderCredentials': {
      const roles = requireRoles(command.roles);
      const qualifications = requireCodes(command.qualifications, 'qualifications');
      const current = requireActive(state);
      const unchanged =
        JSON.stringify([roles, qualifications]) === JSON.stringify([current.roles, current.qualifications]);
      if (unchanged) return [];
      return [
        {
          type: 'ProviderCredentialsChanged',
          data: { providerId: current.providerId, roles, qualifications },
        },
      ];
    }
    case 'DeactivateProvider':
      if (state.status === 'inactive') return [];
      return [{ type: 'ProviderDeactivated', data: { providerId: requireActive(state).providerId } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function requireActive(state: ProviderState) {
  switch (state.status) {
    case 'unknown':
      throw errors.notFound('PROVIDER_NOT_FOUND', 'No such provider');
    case 'inactive':
      throw errors.precondition('PROVIDER_INACTIVE', 'The provider is deactivated');
    case 'active':
      return state;
    default: {
      const _exhaustive: never = state;
      throw errors.internal('UNREACHABLE', 'Unknown provider state');
    }
  }
}

/** The provider decider: one stream per provider. */
export const provider: Decider<ProviderCommand, ProviderEvent, ProviderState> = {
  initialState: initialProviderState,
  evolve: evolveProvider,
  decide: decideProvider,
};
