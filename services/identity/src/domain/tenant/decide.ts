import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { iso } from '../shared/time.js';
import {
  applySettingsChange,
  DEFAULT_TENANT_SETTINGS,
  sameSettings,
  type TenantSettingsChange,
} from './settings.js';
import { evolveTenant, initialTenantState, type TenantEvent, type TenantState } from './tenant.js';

export type TenantCommand =
  | { type: 'CreateTenant'; tenantId: string; name: string; settings?: TenantSettingsChange; at: Date }
  | { type: 'ChangeTenantSettings'; settings: TenantSettingsChange; at: Date };

const MAX_NAME_LENGTH = 200;

export function decideTenant(command: TenantCommand, state: TenantState): TenantEvent[] {
  switch (command.type) {
    case 'CreateTenant': {
      if (state.status !== 'absent') throw errors.conflict('TENANT_EXISTS', 'The tenant already exists');
      const name = command.name.trim();
      if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
        throw errors.validation('TENANT_NAME_INVALID', 'The clinic name is invalid', {
          violations: [{ field: 'name', message: `must be 1 to ${MAX_NAME_LENGTH} characters` }],
        });
      }
      const settings = applySettingsChange(DEFAULT_TENANT_SETTINGS, command.settings ?? {});
      return [
        { type: 'TenantCreated', data: { tenantId: command.tenantId, name, settings, at: iso(command.at) } },
      ];
    }
    case 'ChangeTenantSettings': {
      if (state.status !== 'active') throw errors.notFound('TENANT_NOT_FOUND', 'The tenant does not exist');
      const settings = applySettingsChange(state.settings, command.settings);
      if (sameSettings(settings, state.settings)) return [];
      return [{ type: 'TenantSettingsChanged', data: { settings, at: iso(command.at) } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** A clinic and its security settings (lockout, idle logoff, session lifetime, break-glass). */
export const tenantDecider: Decider<TenantCommand, TenantEvent, TenantState> = {
  decide: decideTenant,
  evolve: evolveTenant,
  initialState: initialTenantState,
};
