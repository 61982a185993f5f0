/**
 * Keys whose values are PHI or credentials wherever they appear in a log object, matched without
 * regard to case, `_` or `-` (`first_name`, `FirstName`, `x-api-key`). A non-PHI value under one of
 * these keys is redacted too (an event `name`, say): log it under a clearer key (`eventType`)
 * rather than shortening the list.
 */
export const PHI_KEYS: readonly string[] = [
  // Names and demographics
  'name',
  'firstName',
  'lastName',
  'middleName',
  'fullName',
  'givenName',
  'familyName',
  'preferredName',
  'displayName',
  'dob',
  'dateOfBirth',
  'birthDate',
  'ssn',
  'mrn',
  'medicalRecordNumber',
  'insuranceId',
  'memberId',
  'policyNumber',
  'photo',
  // Contact details and geography smaller than a state
  'phone',
  'phoneNumber',
  'mobile',
  'fax',
  'email',
  'address',
  'street',
  'addressLine1',
  'addressLine2',
  'city',
  'postalCode',
  'zip',
  'zipCode',
  // Clinical content and free text
  'note',
  'notes',
  'body',
  'text',
  'transcript',
  'diagnosis',
  'allergies',
  'medications',
  'chiefComplaint',
  'history',
  'symptoms',
  'treatmentPlan',
  'prompt',
  'completion',
  // Credentials
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'authorization',
  'cookie',
  'secret',
  'clientSecret',
  'totpSecret',
  'apiKey',
  'privateKey',
  'otp',
  'xApiKey',
  'proxyAuthorization',
  'setCookie',
];

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/** The form keys are compared in: `first_name`, `firstName` and `First-Name` all become `firstname`. */
export const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/** A set of keys to redact, in the form `redactKeys` compares. */
export const redactionKeySet = (keys: readonly string[]): ReadonlySet<string> =>
  new Set(keys.map(normalizeKey));
