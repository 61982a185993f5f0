import { scopeOf, type Permission, type Principal } from '@medspa/auth';
import type { TenantSignal } from './signal.js';

/** The permission a caller needs to be told of a signal; undefined: nobody is told. */
export type SignalPermissionOf = (signal: TenantSignal) => Permission | undefined;

const CHART = /^(encounter|chart|addendum|patient\.clinical)/;

/**
 * The default: the read permission of what the event is about. Identity, audit, AI and
 * transcription events are not signalled (sessions, sign-in failures and AI use are not for
 * live screens).
 */
export const defaultSignalPermission: SignalPermissionOf = ({ service, type }) => {
  switch (service) {
    case 'scheduling':
      return 'schedule:read';
    case 'patient-record':
      if (CHART.test(type)) return 'patient.chart:read';
      if (type.startsWith('consent') || type.startsWith('communication')) return 'patient.consent:read';
      if (type.startsWith('intake')) return 'patient.chart:read';
      return 'patient.demographics:read';
    case 'billing':
      return 'billing.invoice:read';
    case 'notification':
      return 'inbox:read';
    default:
      return undefined;
  }
};

/**
 * Whether the caller may be told of the signal: same tenant (from the token's `tid`), and a
 * tenant-wide grant of the permission. An `own` grant (a patient) gets nothing: a signal carries
 * only a type and a stream id, which cannot say whose record it is without a lookup per event.
 */
export function mayReceive(
  principal: Principal,
  signal: TenantSignal,
  permissionOf: SignalPermissionOf = defaultSignalPermission,
): boolean {
  if (principal.tenantId !== signal.tenantId) return false;
  const permission = permissionOf(signal);
  return permission !== undefined && scopeOf(principal, permission) === 'tenant';
}
