/** Every role a token may carry. `service` is for background work signed by a service itself. */
export const ROLES = [
  'owner',
  'manager',
  'provider',
  'front_desk',
  'billing',
  'compliance_officer',
  'patient',
  'service',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles a person can hold (everything but `service`). */
export type UserRole = Exclude<Role, 'service'>;

const roleSet: ReadonlySet<string> = new Set(ROLES);

/** Narrows a claim value to a known role. */
export const isRole = (value: unknown): value is Role => typeof value === 'string' && roleSet.has(value);
