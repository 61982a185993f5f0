import { describe, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { userDecider } from './decide.js';
import { PASSWORD_HASH, passwordSet, registered, T0 } from '../unit-fixtures.js';

const spec = deciderSpec(userDecider);
const at = T0.toISOString();

describe('User registration and password', () => {
  it('registers a user with a role and an encrypted, indexed e-mail', () => {
    spec
      .given([])
      .when({
        type: 'RegisterUser',
        userId: 'u-1',
        tenantId: 't-1',
        role: 'provider',
        emailLookup: 'lookup-1',
        emailCiphertext: 'phi:email',
        at: T0,
      })
      .then([registered('provider')]);
  });

  it('does not register twice', () => {
    spec
      .given([registered()])
      .when({
        type: 'RegisterUser',
        userId: 'u-1',
        tenantId: 't-1',
        role: 'provider',
        emailLookup: 'x',
        emailCiphertext: 'y',
        at: T0,
      })
      .thenThrows('USER_EXISTS');
  });

  it('stores the argon2id hash, never a password', () => {
    spec
      .given([registered()])
      .when({ type: 'SetPassword', passwordHash: PASSWORD_HASH, reason: 'initial', at: T0 })
      .then([passwordSet]);
    spec
      .given([registered()])
      .when({ type: 'SetPassword', passwordHash: 'correct horse battery staple', reason: 'initial', at: T0 })
      .thenThrows('PASSWORD_HASH_INVALID');
  });

  it('sets the initial password only once', () => {
    spec
      .given([registered(), passwordSet])
      .when({ type: 'SetPassword', passwordHash: PASSWORD_HASH, reason: 'initial', at: T0 })
      .thenThrows('PASSWORD_ALREADY_SET');
  });

  it('refuses a new password for a disabled account', () => {
    spec
      .given([registered(), { type: 'UserDisabled', data: { at } }])
      .when({ type: 'SetPassword', passwordHash: PASSWORD_HASH, reason: 'reset', at: T0 })
      .thenThrows('ACCOUNT_DISABLED');
  });
});

describe('User administration', () => {
  it('disables and enables, idempotently', () => {
    spec
      .given([registered()])
      .when({ type: 'DisableUser', at: T0 })
      .then([{ type: 'UserDisabled', data: { at } }]);
    spec
      .given([registered(), { type: 'UserDisabled', data: { at } }])
      .when({ type: 'DisableUser', at: T0 })
      .thenNothingHappens();
    spec
      .given([registered(), { type: 'UserDisabled', data: { at } }])
      .when({ type: 'EnableUser', at: T0 })
      .then([{ type: 'UserEnabled', data: { at } }]);
    spec.given([registered()]).when({ type: 'EnableUser', at: T0 }).thenNothingHappens();
  });

  it('changes a staff role', () => {
    spec
      .given([registered('front_desk')])
      .when({ type: 'ChangeRole', role: 'manager', at: T0 })
      .then([{ type: 'UserRoleChanged', data: { from: 'front_desk', to: 'manager', at } }]);
    spec
      .given([registered('manager')])
      .when({ type: 'ChangeRole', role: 'manager', at: T0 })
      .thenNothingHappens();
  });

  it('never turns a patient into staff or staff into a patient', () => {
    spec
      .given([registered('patient')])
      .when({ type: 'ChangeRole', role: 'owner', at: T0 })
      .thenThrows('ROLE_CHANGE_NOT_ALLOWED');
    spec
      .given([registered('billing')])
      .when({ type: 'ChangeRole', role: 'patient', at: T0 })
      .thenThrows('ROLE_CHANGE_NOT_ALLOWED');
  });

  it('refuses commands for a user that does not exist', () => {
    spec.given([]).when({ type: 'DisableUser', at: T0 }).thenThrows('USER_NOT_FOUND');
  });
});
