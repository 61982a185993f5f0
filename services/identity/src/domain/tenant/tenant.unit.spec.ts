import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { tenantDecider } from './decide.js';
import { DEFAULT_TENANT_SETTINGS } from './settings.js';
import type { TenantEvent } from './tenant.js';

const spec = deciderSpec(tenantDecider);
const at = new Date('2025-03-01T09:00:00.000Z');
const created: TenantEvent = {
  type: 'TenantCreated',
  data: { tenantId: 't-1', name: 'Glow Clinic', settings: DEFAULT_TENANT_SETTINGS, at: at.toISOString() },
};

describe('Tenant', () => {
  it('is created with the HIPAA defaults: 5 failures, 15 idle minutes, 24 h sessions, 60 min break-glass', () => {
    spec
      .given([])
      .when({ type: 'CreateTenant', tenantId: 't-1', name: '  Glow Clinic ', at })
      .then([created]);
    expect(DEFAULT_TENANT_SETTINGS).toEqual({
      lockout: { threshold: 5, baseSeconds: 60, maxSeconds: 3600 },
      idleTimeoutMinutes: 15,
      sessionLifetimeHours: 24,
      breakGlassMinutes: 60,
    });
  });

  it('cannot be created twice', () => {
    spec
      .given([created])
      .when({ type: 'CreateTenant', tenantId: 't-1', name: 'X', at })
      .thenThrows('TENANT_EXISTS');
  });

  it('refuses an empty name', () => {
    spec
      .given([])
      .when({ type: 'CreateTenant', tenantId: 't-1', name: '  ', at })
      .thenThrows('TENANT_NAME_INVALID');
  });

  it('tightens settings', () => {
    spec
      .given([created])
      .when({
        type: 'ChangeTenantSettings',
        settings: { idleTimeoutMinutes: 10, lockout: { threshold: 3 } },
        at,
      })
      .then([
        {
          type: 'TenantSettingsChanged',
          data: {
            settings: {
              ...DEFAULT_TENANT_SETTINGS,
              idleTimeoutMinutes: 10,
              lockout: { threshold: 3, baseSeconds: 60, maxSeconds: 3600 },
            },
            at: at.toISOString(),
          },
        },
      ]);
  });

  it('refuses to loosen logoff beyond 15 idle minutes or sessions beyond 24 h, listing every field', () => {
    let thrown: unknown;
    try {
      tenantDecider.decide(
        { type: 'ChangeTenantSettings', settings: { idleTimeoutMinutes: 30, sessionLifetimeHours: 48 }, at },
        tenantDecider.evolve(tenantDecider.initialState(), created),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({
      reason: 'TENANT_SETTINGS_INVALID',
      violations: [{ field: 'idleTimeoutMinutes' }, { field: 'sessionLifetimeHours' }],
    });
  });

  it('refuses a lockout cap below the first lockout', () => {
    spec
      .given([created])
      .when({
        type: 'ChangeTenantSettings',
        settings: { lockout: { baseSeconds: 600, maxSeconds: 300 } },
        at,
      })
      .thenThrows('TENANT_SETTINGS_INVALID');
  });

  it('records nothing when the settings do not change', () => {
    spec
      .given([created])
      .when({ type: 'ChangeTenantSettings', settings: { idleTimeoutMinutes: 15 }, at })
      .thenNothingHappens();
  });

  it('cannot change the settings of a tenant that does not exist', () => {
    spec.given([]).when({ type: 'ChangeTenantSettings', settings: {}, at }).thenThrows('TENANT_NOT_FOUND');
  });
});
