import { errors } from '@medspa/errors';
import type { Permission } from './permissions.js';
import type { Principal } from './principal.js';
import { ROLE_PERMISSIONS, type Scope } from './role-permissions.js';

/** The resource a check is about, when its owner matters (`own`-scoped grants). */
export interface OwnedResource {
  /** The user id the record belongs to, e.g. the patient's portal account. */
  readonly ownerId: string;
}

/** How far the principal's role reaches for a permission, or undefined when it is not granted. */
export function scopeOf(principal: Principal, permission: Permission): Scope | undefined {
  return ROLE_PERMISSIONS[principal.role][permission];
}

/**
 * Whether the principal holds the permission. With a resource, an `own` grant only counts for
 * records the principal owns; without one, any grant counts and the caller must apply the scope.
 */
export function can(principal: Principal, permission: Permission, resource?: OwnedResource): boolean {
  const scope = scopeOf(principal, permission);
  if (scope === undefined) return false;
  if (scope === 'own' && resource !== undefined) return resource.ownerId === principal.userId;
  return true;
}

/**
 * Throws `forbidden` unless the principal holds the permission; returns the scope so a query for
 * an `own` grant can filter to the caller's records. Break-glass does not widen the table: it is
 * recorded on the principal for services to audit and to relax care-team checks, not roles.
 */
export function requirePermission(
  principal: Principal,
  permission: Permission,
  resource?: OwnedResource,
): Scope {
  const scope = scopeOf(principal, permission);
  if (scope === undefined) {
    throw errors.forbidden('PERMISSION_DENIED', `Role ${principal.role} may not ${permission}`);
  }
  if (scope === 'own' && resource !== undefined && resource.ownerId !== principal.userId) {
    throw errors.forbidden(
      'PERMISSION_DENIED',
      `Role ${principal.role} may ${permission} only on own records`,
    );
  }
  return scope;
}
