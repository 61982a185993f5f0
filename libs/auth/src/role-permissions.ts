import type { Permission } from './permissions.js';
import type { Role } from './roles.js';

/**
 * How far a grant reaches: `tenant` is every record of the caller's clinic; `own` only records
 * that belong to the caller (a patient's own appointments, chart, invoices).
 */
export type Scope = 'tenant' | 'own';

export type RoleGrants = Readonly<Partial<Record<Permission, Scope>>>;

const grant = (scope: Scope, permissions: readonly Permission[]): RoleGrants =>
  Object.fromEntries(permissions.map((p) => [p, scope]));

/**
 * THE role -> permission table (minimum necessary). Nothing else in the code base decides what a
 * role may do; the README matrix and the authorization matrix test are generated from it.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, RoleGrants>> = {
  // Runs the business, but is not a treating clinician (no charts) and does not review the audit
  // log: that is the compliance officer's (an owner who is also the privacy officer holds both
  // accounts). An owner who also treats patients signs in with a provider account for that work.
  owner: grant('tenant', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.demographics:write',
    'patient.contact:read',
    'patient.contact:write',
    'patient.consent:read',
    'billing.invoice:read',
    'billing.invoice:write',
    'billing.payment:write',
    'billing.refund:write',
    'patient:erase',
    'settings:read',
    'settings:write',
    'staff:manage',
    'notification:send',
    'inbox:read',
  ]),
  // Day-to-day operations of a location: like the owner, minus erasing records.
  manager: grant('tenant', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.demographics:write',
    'patient.contact:read',
    'patient.contact:write',
    'patient.consent:read',
    'billing.invoice:read',
    'billing.invoice:write',
    'billing.payment:write',
    'billing.refund:write',
    'settings:read',
    'settings:write',
    'staff:manage',
    'notification:send',
    'inbox:read',
  ]),
  // Treats patients: the only role that writes and signs charts and uses clinical AI.
  provider: grant('tenant', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.contact:read',
    'patient.consent:read',
    'patient.consent:write',
    'patient.chart:read',
    'patient.chart:write',
    'patient.chart:sign',
    'settings:read',
    'notification:send',
    'inbox:read',
    'ai:assist',
    'transcription:write',
  ]),
  // Books and checks patients in and out: schedules and contact details, never chart notes.
  // Invoice read + payment write because checkout happens at the desk.
  front_desk: grant('tenant', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.demographics:write',
    'patient.contact:read',
    'patient.contact:write',
    'patient.consent:read',
    'billing.invoice:read',
    'billing.payment:write',
    'settings:read',
    'notification:send',
    'inbox:read',
  ]),
  // Invoices and payments, plus name and address for receipts; no contact details, no notes.
  billing: grant('tenant', [
    'patient.demographics:read',
    'billing.invoice:read',
    'billing.invoice:write',
    'billing.payment:write',
    'billing.refund:write',
    'settings:read',
  ]),
  // Reviews who touched what; sees the audit trail (ids and actions), not the records themselves.
  compliance_officer: grant('tenant', ['audit:read', 'audit:export', 'audit:legal_hold', 'settings:read']),
  // Only their own data. Chart read honours the HIPAA right of access to one's own record.
  patient: grant('own', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.demographics:write',
    'patient.contact:read',
    'patient.contact:write',
    'patient.consent:read',
    'patient.consent:write',
    'patient.chart:read',
    'billing.invoice:read',
    'billing.payment:write',
    'inbox:read',
  ]),
  // Background work with no user behind it: reminders (schedule + contact), waitlist offer
  // expiry (schedule:write), payment retries, transcripts arriving from the provider's webhook.
  // No chart access: work done on a user's behalf carries that user's token instead.
  service: grant('tenant', [
    'schedule:read',
    'schedule:write',
    'patient.demographics:read',
    'patient.contact:read',
    'billing.invoice:read',
    'billing.payment:write',
    'settings:read',
    'notification:send',
    'transcription:write',
  ]),
};
