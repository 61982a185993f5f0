// A provider (injector, nurse, aesthetician…) as far as scheduling cares: what they may perform.
// Names and contact details live with identity; here a provider is an id with roles and
// qualifications, so these events carry no personal data.

export interface ProviderProfile {
  providerId: string;
  /** Clinical roles, e.g. `registered_nurse`, `aesthetician`. */
  roles: string[];
  /** Certifications a treatment may require, e.g. `neurotoxin_certified`, `laser_level_2`. */
  qualifications: string[];
  /**
   * The zone in which this provider's day calendars are kept. Fixed at onboarding: a provider who
   * works at locations in two zones still has one calendar per day, so no booking can escape the
   * overlap check by landing on a "different" local date.
   */
  calendarTimeZone: string;
}

export type ProviderEvent =
  | { type: 'ProviderOnboarded'; data: ProviderProfile }
  | {
      type: 'ProviderCredentialsChanged';
      data: { providerId: string; roles: string[]; qualifications: string[] };
    }
  | { type: 'ProviderDeactivated'; data: { providerId: string } };

export type ProviderState =
  | { status: 'unknown' }
  | ({ status: 'active' } & ProviderProfile)
  | ({ status: 'inactive' } & ProviderProfile);

export const initialProviderState = (): ProviderState => ({ status: 'unknown' });

export function evolveProvider(state: ProviderState, event: ProviderEvent): ProviderState {
  switch (event.type) {
    case 'ProviderOnboarded':
      return { status: 'active', ...event.data };
    case 'ProviderCredentialsChanged':
      return state.status === 'unknown'
        ? state
        : { ...state, roles: event.data.roles, qualifications: event.data.qualifications };
    case 'ProviderDeactivated':
      return state.status === 'unknown' ? state : { ...state, status: 'inactive' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
