/**
 * Every permission the platform checks, with what it lets a person see or do. The descriptions
 * feed the README and the authorization matrix, so they say what data is involved.
 * `patient.demographics` is name, date of birth and postal address; `patient.contact` is phone,
 * email and communication preferences; `patient.chart` is notes, treatments, photos, transcripts.
 */
export const PERMISSIONS = {
  'schedule:read': 'See appointments, provider availability, rooms and the waitlist',
  'schedule:write': 'Book, move, cancel and check in appointments',
  'patient.demographics:read': 'See patient name, date of birth and postal address',
  'patient.demographics:write': 'Register patients and correct their demographics',
  'patient.contact:read': 'See patient phone, email and communication preferences',
  'patient.contact:write': 'Change patient phone, email and communication preferences',
  'patient.consent:read': 'See which consent forms a patient has signed',
  'patient.consent:write': 'Collect, sign or revoke consent forms',
  'patient.chart:read': 'Read chart notes, treatments, photos and transcripts',
  'patient.chart:write': 'Draft and amend chart notes',
  'patient.chart:sign': 'Sign (lock) chart notes as the treating provider',
  'billing.invoice:read': 'See invoices, balances and payment history',
  'billing.invoice:write': 'Create, adjust and void invoices',
  'billing.payment:write': 'Take payments',
  'billing.refund:write': 'Issue refunds',
  'audit:read': 'Query and verify the audit log',
  'audit:export': 'Export the audit log',
  'audit:legal_hold': 'Place and release legal holds on the audit log',
  'patient:erase': 'Erase a patient record by destroying its keys (retention expired or ordered)',
  'settings:read': 'See clinic settings: locations, hours, services, prices',
  'settings:write': 'Change clinic settings',
  'staff:manage': 'Invite staff, assign roles, lock and unlock accounts',
  'notification:send': 'Send reminders and messages to patients',
  'inbox:read': 'Read the message inbox',
  'ai:assist': 'Use AI drafting and summarising on clinical content',
  'transcription:write': 'Record and transcribe visits',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/** All permission names, in table order. */
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];
