import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, it } from 'vitest';
import { provider } from './decide.js';
import type { ProviderEvent } from './provider.js';

const spec = deciderSpec(provider);
const providerId = newId();
const onboard = {
  type: 'OnboardProvider' as const,
  providerId,
  roles: ['registered_nurse', 'injector', 'injector'],
  qualifications: ['neurotoxin_certified'],
  calendarTimeZone: 'America/Chicago',
};
const onboarded: ProviderEvent = {
  type: 'ProviderOnboarded',
  data: {
    providerId,
    roles: ['injector', 'registered_nurse'],
    qualifications: ['neurotoxin_certified'],
    calendarTimeZone: 'America/Chicago',
  },
};

describe('provider', () => {
  it('is onboarded with roles, qualifications and a calendar zone (codes deduplicated and sorted)', () => {
    spec.given([]).when(onboard).then([onboarded]);
    spec
      .given([])
      .when({ ...onboard, roles: [] })
      .thenThrows('NO_ROLES');
    spec
      .given([])
      .when({ ...onboard, roles: ['Registered Nurse'] })
      .thenThrows('INVALID_CODE');
    spec
      .given([])
      .when({ ...onboard, calendarTimeZone: 'Central' })
      .thenThrows('INVALID_TIME_ZONE');
    spec
      .given([])
      .when({ ...onboard, providerId: 'dr-smith' })
      .thenThrows('INVALID_ID');
    spec.given([onboarded]).when(onboard).thenThrows('PROVIDER_ALREADY_EXISTS');
  });

  it('changes credentials only when they change', () => {
    const change = {
      type: 'ChangeProviderCredentials' as const,
      providerId,
      roles: ['injector', 'registered_nurse'],
      qualifications: ['laser_level_2', 'neurotoxin_certified'],
    };
    spec
      .given([onboarded])
      .when(change)
      .then([
        {
          type: 'ProviderCredentialsChanged',
          data: { providerId, roles: change.roles, qualifications: change.qualifications },
        },
      ]);
    spec
      .given([onboarded])
      .when({ ...change, qualifications: ['neurotoxin_certified'] })
      .thenNothingHappens();
    spec.given([]).when(change).thenThrows('PROVIDER_NOT_FOUND');
  });

  it('is deactivated, after which it cannot change', () => {
    const deactivated: ProviderEvent = { type: 'ProviderDeactivated', data: { providerId } };
    spec.given([onboarded]).when({ type: 'DeactivateProvider', providerId }).then([deactivated]);
    spec
      .given([onboarded, deactivated])
      .when({ type: 'ChangeProviderCredentials', providerId, roles: ['injector'], qualifications: [] })
      .thenThrows('PROVIDER_INACTIVE');
  });
});
