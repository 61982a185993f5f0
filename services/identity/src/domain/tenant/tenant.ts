import type { TenantSettings } from './settings.js';

export type TenantEvent =
  | { type: 'TenantCreated'; data: { tenantId: string; name: string; settings: TenantSettings; at: string } }
  | { type: 'TenantSettingsChanged'; data: { settings: TenantSettings; at: string } };

export type TenantState =
  { status: 'absent' } | { status: 'active'; tenantId: string; name: string; settings: TenantSettings };

export const initialTenantState = (): TenantState => ({ status: 'absent' });

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated':
      return {
        status: 'active',
        tenantId: event.data.tenantId,
        name: event.data.name,
        settings: event.data.settings,
      };
    case 'TenantSettingsChanged':
      return state.status === 'active' ? { ...state, settings: event.data.settings } : state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
